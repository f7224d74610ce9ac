/**
 * CLI output quoted in the docs, kept current by tests: a quote is a fenced block right after a
 * marker line `<!-- pulumi output: NAME -->`. A test produces the output through the real CLI and
 * compares it with the doc's quote; `UPDATE_DOC_QUOTES=1` writes what the CLI printed instead, so a
 * changed message is updated on purpose and reviewed in the diff, never left to drift.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** What varies between runs of the same step, made constant: ports, request IDs, progress lines. */
export function quotable(text: string): string {
    return text
        .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
        .replace(/request ID [0-9a-f]{8,}/g, "request ID <id>")
        .replace(/\[id=[0-9a-f-]+\]/g, "[id=<id>]")
        .split("\n")
        .filter((l) => !l.startsWith("@ "))
        .join("\n")
        .replace(/\n{3,}/g, "\n\n")
        .trim();
}

function markerOf(name: string): RegExp {
    return new RegExp(`(<!-- pulumi output: ${name} -->\\n\`\`\`text\\n)([\\s\\S]*?)(^\`\`\`$)`, "m");
}

/**
 * One block of the CLI's `Diagnostics:`: the lines under `heading` (e.g. a resource's
 * `  type (name):`), up to the next heading. The CLI lists the blocks in no fixed order.
 */
export function diagnosticsOf(text: string, heading: string): string {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => l === heading);
    expect(start, `no diagnostics under ${JSON.stringify(heading)} in:\n${text}`).to.be.at.least(0);
    const end = lines.findIndex((l, i) => i > start && /^( {2})?\S/.test(l));
    return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** Asserts that `doc` (relative to the repository) quotes `printed` as `name`, or rewrites the quote. */
export function expectQuoted(doc: string, name: string, printed: string): void {
    const file = path.join(ROOT, doc);
    const text = fs.readFileSync(file, "utf8");
    const match = markerOf(name).exec(text);
    expect(match, `${doc} has no quote marked <!-- pulumi output: ${name} -->`).to.not.equal(null);
    const actual = quotable(printed);
    if (process.env.UPDATE_DOC_QUOTES) {
        fs.writeFileSync(
            file,
            text.replace(markerOf(name), (_, open, _old, close) => open + actual + "\n" + close),
        );
        return;
    }
    expect(
        actual,
        `${doc}'s quote "${name}" is not what pulumi printed (UPDATE_DOC_QUOTES=1 rewrites it)`,
    ).to.equal(match![2].replace(/\n$/, ""));
}
