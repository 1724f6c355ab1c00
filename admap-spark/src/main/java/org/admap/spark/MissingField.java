package org.admap.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field the user named ({@code --score-field} and the like) that no row of one split of a
 * file had. A single machine fails when no row of the whole file has it; a file read in
 * several splits fails only when every one of its splits reports the field missing.
 *
 * @param file    the file's index in the job's input list
 * @param split   the split's start, which tells the file's splits apart
 * @param option  the option that named the field
 * @param message the error, as the first split reporting it words it
 */
record MissingField(int file, long split, String option, String message) implements Serializable {

    /**
     * Fails on the first named field that every split of its file lacks.
     *
     * @param reported what the splits reported (any order, repeats from retried tasks included)
     * @param splits   the splits of the job
     * @throws IllegalArgumentException naming the file and the option, as the single machine does
     */
    static void check(List<MissingField> reported, List<InputSplit> splits) {
        if (reported.isEmpty()) {
            return;
        }
        Map<Integer, Integer> splitsOf = new HashMap<>();
        for (InputSplit s : splits) {
            splitsOf.merge(s.file(), 1, Integer::sum);
        }
        Map<String, Set<Long>> lackingIn = new HashMap<>();
        MissingField first = null;
        for (MissingField m : reported.stream().sorted(java.util.Comparator.comparingInt(MissingField::file)
                .thenComparingLong(MissingField::split)).toList()) {
            Set<Long> in = lackingIn.computeIfAbsent(m.file() + "\u0000" + m.option(), k -> new HashSet<>());
            in.add(m.split());
            if (in.size() == splitsOf.get(m.file()) && (first == null || m.file() < first.file())) {
                first = m;
            }
        }
        if (first != null) {
            String option = first.option();
            int file = first.file();
            MissingField opening = reported.stream().filter(m -> m.file() == file && m.option().equals(option))
                    .min(java.util.Comparator.comparingLong(MissingField::split)).orElseThrow();
            throw new IllegalArgumentException(opening.message());
        }
    }
}
