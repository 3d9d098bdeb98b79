package dev.rankql.models.lsa;

import java.io.IOException;

/** Input that is not a valid LSA model file, with the JSON path of the first problem found. */
public final class LsaFormatException extends IOException {

    private final String path;

    LsaFormatException(String path, String detail) {
        super(path + ": " + detail);
        this.path = path;
    }

    /** The JSON path of the problem, such as {@code $.lsa.vectors} or {@code $.lsa.terms[3]}. */
    public String path() {
        return path;
    }
}
