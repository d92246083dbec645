package pl.eidpl;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** The ownership rules of ffi/README.md in one place: copy results, free everything. */
final class Call {
    private Call() {}

    static final EidplLibrary LIB = EidplLibrary.INSTANCE;

    /** UTF-8 bytes of a string; null stays null (NULL pointer, length 0: "empty"). */
    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String copy(Pointer p) {
        return p == null ? null : p.getString(0, "UTF-8");
    }

    /** A native call's outcome: the copied result string, or the EidplException. */
    interface Body {
        int call(PointerByReference out, PointerByReference err);
    }

    static String run(Body body) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        int status = body.call(out, err);
        Pointer result = out.getValue();
        Pointer error = err.getValue();
        try {
            if (status != 0) {
                throw EidplException.from(status, error);
            }
            return copy(result);
        } finally {
            LIB.eidpl_string_free(result);
            LIB.eidpl_error_free(error);
        }
    }
}
