package dev.rankql.engine.mapping;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Pattern;

/** Elasticsearch date formats: the named ones rankql knows, custom java-time patterns, and {@code ||} alternatives. */
public final class DateFormats {

    /** Elasticsearch's default format for {@code date} fields. */
    public static final String DEFAULT = "strict_date_optional_time||epoch_millis";

    private static final Pattern OPTIONAL_TIME = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
                    + "(Z|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?");

    private DateFormats() {}

    /** Throws {@link IllegalArgumentException} unless every alternative of {@code format} is known or a valid pattern. */
    public static void validate(String format) {
        for (var part : format.split("\\|\\|")) {
            if (!isNamed(part)) {
                try {
                    DateTimeFormatter.ofPattern(part, Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Invalid format: [" + format + "]: " + e.getMessage(), e);
                }
            }
        }
    }

    private static boolean isNamed(String name) {
        return switch (name) {
            case "strict_date_optional_time", "date_optional_time", "strict_date_optional_time_nanos", "epoch_millis",
                    "epoch_second", "strict_date", "date", "strict_date_time", "date_time",
                    "strict_date_time_no_millis", "date_time_no_millis", "basic_date", "year", "strict_year",
                    "year_month", "strict_year_month", "year_month_day", "strict_year_month_day" -> true;
            default -> false;
        };
    }

    /** Epoch milliseconds of {@code text} in {@code format}; throws {@link IllegalArgumentException} with ES's text. */
    public static long parse(String format, String text) {
        for (var part : format.split("\\|\\|")) {
            Long millis = tryParse(part, text.trim());
            if (millis != null) {
                return millis;
            }
        }
        throw new IllegalArgumentException(
                "failed to parse date field [" + text + "] with format [" + format + "]");
    }

    private static Long tryParse(String format, String text) {
        try {
            return switch (format) {
                case "epoch_millis" -> new BigDecimal(text).longValue();
                case "epoch_second" -> new BigDecimal(text).movePointRight(3).longValue();
                case "strict_date_optional_time", "date_optional_time", "strict_date_optional_time_nanos", "strict_date",
                        "date", "strict_date_time", "date_time", "strict_date_time_no_millis", "date_time_no_millis",
                        "year", "strict_year", "year_month", "strict_year_month", "year_month_day",
                        "strict_year_month_day" -> optionalTime(text);
                case "basic_date" -> fromAccessor(DateTimeFormatter.BASIC_ISO_DATE.parse(text));
                default -> fromAccessor(DateTimeFormatter.ofPattern(format, Locale.ROOT).parse(text));
            };
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    private static Long optionalTime(String text) {
        var m = OPTIONAL_TIME.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        int hour = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "000000000").substring(0, 9));
        var offset = ZoneOffset.UTC;
        if (m.group(8) != null && !m.group(8).equals("Z")) {
            var zone = m.group(8).replace(":", "");
            int hours = Integer.parseInt(zone.substring(1, 3));
            int minutes = zone.length() > 3 ? Integer.parseInt(zone.substring(3)) : 0;
            int sign = zone.charAt(0) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        try {
            var dateTime = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            return dateTime.toInstant(offset).toEpochMilli();
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static long fromAccessor(TemporalAccessor parsed) {
        var date = parsed.isSupported(ChronoField.EPOCH_DAY)
                ? LocalDate.ofEpochDay(parsed.getLong(ChronoField.EPOCH_DAY))
                : LocalDate.of(
                        (int) parsed.getLong(ChronoField.YEAR),
                        parsed.isSupported(ChronoField.MONTH_OF_YEAR) ? (int) parsed.getLong(ChronoField.MONTH_OF_YEAR) : 1,
                        parsed.isSupported(ChronoField.DAY_OF_MONTH) ? (int) parsed.getLong(ChronoField.DAY_OF_MONTH) : 1);
        var time = parsed.isSupported(ChronoField.NANO_OF_DAY)
                ? LocalTime.ofNanoOfDay(parsed.getLong(ChronoField.NANO_OF_DAY))
                : LocalTime.of(
                        parsed.isSupported(ChronoField.HOUR_OF_DAY) ? (int) parsed.getLong(ChronoField.HOUR_OF_DAY) : 0,
                        parsed.isSupported(ChronoField.MINUTE_OF_HOUR) ? (int) parsed.getLong(ChronoField.MINUTE_OF_HOUR) : 0,
                        parsed.isSupported(ChronoField.SECOND_OF_MINUTE) ? (int) parsed.getLong(ChronoField.SECOND_OF_MINUTE) : 0);
        var offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                ? ZoneOffset.ofTotalSeconds((int) parsed.getLong(ChronoField.OFFSET_SECONDS))
                : ZoneOffset.UTC;
        return LocalDateTime.of(date, time).toInstant(offset).toEpochMilli();
    }

    /**
     * {@code millis} written in {@code format} as Elasticsearch prints dates in hits' {@code fields}: with the first
     * alternative of a {@code ||} list, in UTC; {@code epoch_millis} and {@code epoch_second} print numbers as
     * strings, the ISO-like named formats print milliseconds and {@code Z}.
     */
    public static String format(String format, long millis) {
        var first = format.split("\\|\\|")[0];
        var instant = java.time.Instant.ofEpochMilli(millis);
        return switch (first) {
            case "epoch_millis" -> Long.toString(millis);
            case "epoch_second" -> {
                var seconds = BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros();
                yield seconds.scale() <= 0 ? seconds.toBigInteger().toString() : seconds.toPlainString();
            }
            case "strict_date_optional_time", "date_optional_time", "strict_date_optional_time_nanos", "strict_date_time",
                    "date_time" -> print("uuuu-MM-dd'T'HH:mm:ss.SSSX", instant);
            case "strict_date_time_no_millis", "date_time_no_millis" -> print("uuuu-MM-dd'T'HH:mm:ssX", instant);
            case "strict_date", "date", "year_month_day", "strict_year_month_day" -> print("uuuu-MM-dd", instant);
            case "basic_date" -> print("uuuuMMdd", instant);
            case "year", "strict_year" -> print("uuuu", instant);
            case "year_month", "strict_year_month" -> print("uuuu-MM", instant);
            default -> print(first, instant);
        };
    }

    private static String print(String pattern, java.time.Instant instant) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC).format(instant);
    }

    /** Whether {@code text} looks like a date to dynamic mapping's date detection. */
    public static boolean looksLikeDate(String text) {
        return OPTIONAL_TIME.matcher(text).matches() && text.length() >= 10 && optionalTime(text) != null;
    }
}
