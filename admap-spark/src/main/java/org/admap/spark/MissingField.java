package org.admap.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.admap.ingest.FieldGuard;
import org.admap.ingest.IngestException;

/**
 * A field the user named ({@code --score-field} and the like) that no row of one split of a
 * file had a value in. A single machine fails when no row of the whole file has it; a file read
 * in several splits fails only when every one of its splits reports the field missing, with the
 * single machine's message over the fields all its splits saw.
 *
 * @param file    the file's index in the job's input list
 * @param display the file as messages name it
 * @param split   the split's start, which tells the file's splits apart and orders them
 * @param option  the option that named the field
 * @param field   the field
 * @param present whether the split's rows had the field, though empty in every one
 * @param seen    the field names the split's rows had, in the order met
 */
record MissingField(int file, String display, long split, String option, String field, boolean present,
                    List<String> seen) implements Serializable {

    MissingField {
        seen = new ArrayList<>(seen); // serialisable, whatever list the guard gave
    }

    /**
     * Fails on the first named field (in input order) that every split of its file lacks.
     *
     * @param reported what the splits reported (any order, repeats from retried tasks included)
     * @param splits   the splits of the job
     * @throws IllegalArgumentException naming the file and the option, as the single machine does
     */
    static void check(List<MissingField> reported, List<InputSplit> splits) {
        Map<Integer, Integer> splitsOf = new HashMap<>();
        for (InputSplit s : splits) {
            splitsOf.merge(s.file(), 1, Integer::sum);
        }
        Map<String, List<MissingField>> byField = new HashMap<>();
        List<MissingField> ordered = new ArrayList<>(reported);
        ordered.sort(Comparator.comparingInt(MissingField::file).thenComparingLong(MissingField::split));
        for (MissingField m : ordered) {
            List<MissingField> same = byField.computeIfAbsent(m.file() + "\u0000" + m.option(),
                    k -> new ArrayList<>());
            if (same.stream().noneMatch(o -> o.split() == m.split())) {
                same.add(m);
            }
            if (same.size() == splitsOf.get(m.file())) {
                throw new IllegalArgumentException(message(same));
            }
        }
    }

    /** The message for a field every split of a file lacks, over the fields all of them saw. */
    private static String message(List<MissingField> splits) {
        Set<String> seen = new LinkedHashSet<>();
        boolean present = false;
        for (MissingField m : splits) {
            present |= m.present();
            for (String f : m.seen()) {
                if (seen.size() < FieldGuard.MAX_SEEN) {
                    seen.add(f);
                }
            }
        }
        MissingField first = splits.get(0);
        FieldGuard.Missing missing = new FieldGuard.Missing(first.option(), first.field(), present);
        return IngestException.forFile(first.display(), FieldGuard.message(missing, "any of its rows", seen))
                .getMessage();
    }
}
