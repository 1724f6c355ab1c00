package org.admap.experiment;

import java.util.Locale;

/** The preference losses the paper trains with. */
public enum Loss {
    /** DPO's sigmoid loss against a reference model. */
    DPO("dpo"),
    /** SimPO: length-normalised, reference-free, with a target margin. */
    SIMPO("simpo");

    private final String cliName;

    Loss(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Loss parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Loss l : values()) {
            if (l.cliName.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "': expected dpo or simpo");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
