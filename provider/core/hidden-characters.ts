/*
 * Characters in an entry that a reviewer cannot see, or that Box would read differently: named, with
 * their position, so `check` can refuse the entry instead of silently cleaning it. Pure.
 */
/**
 * Characters a reviewer cannot see: format characters (Unicode category Cf: zero-width spaces and
 * joiners, the soft hyphen, bidi controls that reorder what is displayed, the BOM) and the rest of
 * Unicode's default-ignorable code points (variation selectors, fillers). A login with one is a
 * different string to Box from the one the reviewer read, so it is refused, never silently removed.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** Control characters (Cc) and halves of surrogate pairs (Cs): never part of a Box ID or login. */
const CONTROL = /\p{Cc}|\p{Cs}/u;

/** Names of the invisible characters most often pasted by accident, for the reason `check` gives. */
const CHARACTER_NAMES: Readonly<Record<string, string>> = {
    "00AD": "soft hyphen",
    "061C": "Arabic letter mark",
    "180E": "Mongolian vowel separator",
    "200B": "zero width space",
    "200C": "zero width non-joiner",
    "200D": "zero width joiner",
    "200E": "left-to-right mark",
    "200F": "right-to-left mark",
    "202A": "left-to-right embedding",
    "202B": "right-to-left embedding",
    "202C": "pop directional formatting",
    "202D": "left-to-right override",
    "202E": "right-to-left override",
    "2060": "word joiner",
    "2066": "left-to-right isolate",
    "2067": "right-to-left isolate",
    "2068": "first strong isolate",
    "2069": "pop directional isolate",
    FEFF: "zero width no-break space (BOM)",
};

/** "U+200B (zero width space)": the code point, and its name when it is a common one. */
function describeCodePoint(ch: string): string {
    const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    const name = Object.prototype.hasOwnProperty.call(CHARACTER_NAMES, hex)
        ? CHARACTER_NAMES[hex]
        : undefined;
    return `U+${hex}${name ? ` (${name})` : ""}`;
}

/**
 * Why `entry` holds a character no reviewer can read, naming it and where it is; undefined if none.
 * Invisible characters count anywhere, even where trim() would drop them (a leading BOM); control
 * characters only inside the value, since surrounding tabs and newlines carry no meaning.
 */
export function hiddenCharacter(entry: string): string | undefined {
    const chars = Array.from(entry);
    const trimmed = entry.trim();
    const start = Array.from(entry.slice(0, entry.indexOf(trimmed))).length;
    const end = start + Array.from(trimmed).length;
    for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        const where = `at character ${i + 1} of ${chars.length}`;
        if (INVISIBLE.test(ch))
            return `contains an invisible character ${describeCodePoint(ch)} ${where}; retype the value`;
        if (i >= start && i < end && CONTROL.test(ch))
            return `contains a control character ${describeCodePoint(ch)} ${where}; retype the value`;
    }
    return undefined;
}
