# Finds a JDK 21 or newer and exports JAVA_HOME to it; sourced by ./rankql, ./mvnw and .ci/run.
#
# Usage:  . scripts/jdk.sh && rankql_find_jdk || exit $?
#
# Order: $JAVA_HOME when it is new enough; else the newest JDK >= 21 among the usual install locations and the
# `java` on PATH. Versions come from each JDK's `release` file, so no JVM starts unless a JDK lacks one.
# Written for POSIX sh because ./mvnw runs under /bin/sh with `set -euf` (globbing off, unset variables fatal).

RANKQL_MIN_JAVA=21

# Prints the feature version (8, 17, 21, 25, ...) of the JDK at $1, or nothing when it is not a usable JDK.
rankql_jdk_version() {
    _rq_home=$1
    _rq_ver=
    if [ ! -x "$_rq_home/bin/java" ] || [ ! -x "$_rq_home/bin/javac" ]; then
        return 0
    fi
    if [ -r "$_rq_home/release" ]; then
        while IFS='=' read -r _rq_key _rq_val; do
            if [ "$_rq_key" = JAVA_VERSION ]; then
                _rq_ver=${_rq_val#\"}
            fi
        done <"$_rq_home/release"
    fi
    if [ -z "$_rq_ver" ]; then
        # No release file (some vendor builds): ask the JVM itself, which prints `... version "X.Y.Z" ...`.
        _rq_out=$("$_rq_home/bin/java" -version 2>&1) || _rq_out=
        case $_rq_out in
        *\"*)
            _rq_ver=${_rq_out#*\"}
            _rq_ver=${_rq_ver%%\"*}
            ;;
        esac
    fi
    case $_rq_ver in
    1.*) _rq_ver=${_rq_ver#1.} ;;
    esac
    _rq_ver=${_rq_ver%%[!0-9]*}
    if [ -n "$_rq_ver" ]; then
        printf '%s\n' "$_rq_ver"
    fi
}

# Considers the JDK at $1: remembers it when it beats the best so far, and notes it for the error message.
_rankql_consider() {
    _rq_dir=$1
    if [ ! -d "$_rq_dir" ]; then
        return 0
    fi
    # Distributions link one JDK under several names; compare physical paths so each is weighed once.
    _rq_dir=$(cd -P "$_rq_dir" 2>/dev/null && pwd -P) || return 0
    case "|$_rq_checked|" in
    *"|$_rq_dir|"*) return 0 ;;
    esac
    _rq_checked="$_rq_checked|$_rq_dir"
    _rq_v=$(rankql_jdk_version "$_rq_dir")
    if [ -z "$_rq_v" ]; then
        return 0
    fi
    _rq_seen="$_rq_seen${_rq_seen:+, }$_rq_dir ($_rq_v)"
    if [ "$_rq_v" -ge "$RANKQL_MIN_JAVA" ] && [ "$_rq_v" -gt "$_rq_best_v" ]; then
        _rq_best=$_rq_dir
        _rq_best_v=$_rq_v
    fi
}

# Exports JAVA_HOME as a JDK >= 21 and returns 0, or explains on stderr what is missing and returns 1.
rankql_find_jdk() {
    _rq_seen=
    _rq_checked=
    _rq_best=
    _rq_best_v=0
    if [ -n "${JAVA_HOME-}" ]; then
        _rankql_consider "$JAVA_HOME"
        if [ -n "$_rq_best" ]; then
            export JAVA_HOME
            return 0
        fi
    fi
    # The caller may have turned globbing off (./mvnw runs with `set -f`); the search below needs it.
    _rq_flags=$-
    set +f
    for _rq_cand in /usr/lib/jvm/* /opt/java/* /opt/*jdk* "${HOME-/nonexistent}"/.sdkman/candidates/java/* \
        /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        _rankql_consider "$_rq_cand"
    done
    case $_rq_flags in
    *f*) set -f ;;
    esac
    if [ -x /usr/libexec/java_home ]; then
        _rq_cand=$(/usr/libexec/java_home -v "$RANKQL_MIN_JAVA+" 2>/dev/null) || _rq_cand=
        if [ -n "$_rq_cand" ]; then
            _rankql_consider "$_rq_cand"
        fi
    fi
    _rq_java=$(command -v java 2>/dev/null) || _rq_java=
    if [ -n "$_rq_java" ]; then
        _rq_java=$(readlink -f "$_rq_java" 2>/dev/null) || true
        _rankql_consider "${_rq_java%/bin/java}"
    fi
    if [ -z "$_rq_best" ]; then
        echo "rankql needs a JDK $RANKQL_MIN_JAVA or newer; set JAVA_HOME to one (found: ${_rq_seen:-no JDK})." >&2
        return 1
    fi
    JAVA_HOME=$_rq_best
    export JAVA_HOME
    return 0
}
