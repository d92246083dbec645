package pl.eidpl;

/** The library itself. */
public final class Eidpl {
    private Eidpl() {}

    /** libeidpl's version, e.g. "0.1.0". */
    public static String version() {
        return Call.copy(Call.LIB.eidpl_version());
    }
}
