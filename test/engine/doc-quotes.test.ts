/**
 * What the docs quote from `pulumi`, produced by the pinned CLI against the emulator and compared
 * word for word (harness/doc-quotes.ts): README's preview of an added person, troubleshooting's
 * partial failure, review's blast-radius refusal, and testing's `step.error`.
 */
import * as fs from "fs";
import * as path from "path";
import { diagnosticsOf, expectQuoted } from "../../harness/doc-quotes";
import { CliStack, PULUMI_BIN, sourceProject, workDir } from "../../harness/cli-stack";
import { SessionTermination } from "../../provider";
import { createTestStack, startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const ROOT = path.join(__dirname, "..", "..");
const KNOWN = ["jdoe@example.com", "amy@example.com"];

/** A revocations file of the root program. */
function revocations(entries: { name: string; logins: string[]; reason: string }[]): string {
    return (
        "revocations:\n" +
        entries
            .map(
                (e) =>
                    `  - name: ${e.name}\n    reason: "${e.reason}"\n    userLogins: [${e.logins.map((l) => `"${l}"`).join(", ")}]\n`,
            )
            .join("")
    );
}

describe("what the docs quote from pulumi is what the pinned CLI prints", function () {
    this.timeout(600_000);
    let box: BoxEmulator;
    let stack: CliStack;
    let file: string;
    before(async function () {
        box = await startBoxEmulator({ directory: { userLogins: KNOWN } });
        const work = workDir("quotes");
        file = path.join(work, "revocations.yaml");
        fs.writeFileSync(
            file,
            revocations([{ name: "offboard-jdoe", logins: ["jdoe@example.com"], reason: "HR-4412" }]),
        );
        stack = await CliStack.init(sourceProject(work), work);
        await stack.config("revocationsFile", file);
        await stack.config("box:baseUrl", box.baseUrl);
        await stack.config("box:accessToken", box.accessToken, true);
        await stack.ok(["up", "--yes"]);
    });
    after(async () => box?.close());

    it("README: preview --diff of an added person shows only them as added", async () => {
        fs.writeFileSync(
            file,
            revocations([
                { name: "offboard-jdoe", logins: ["jdoe@example.com", "amy@example.com"], reason: "HR-4412" },
            ]),
        );
        const out = await stack.ok(["preview", "--diff"]);
        expectQuoted("README.md", "preview-added", out);
    });

    it("review: the blast-radius cap refuses in preview", async () => {
        const many = Array.from({ length: 5 }, (_, i) => `contractor${i}@agency.example`);
        fs.writeFileSync(
            file,
            // wave-4 alone: with offboard-jdoe beside it, whether its `same` step lands before wave-4's
            // refusal is a race in the engine, and "Resources: N unchanged" counted it or not (CI saw both).
            // A resource left out of the file is deleted only when the program ends, which a refusal prevents.
            revocations([{ name: "wave-4", logins: many, reason: "SEC-990" }]),
        );
        const out = (await stack.run(["preview", "--diff"], { env: { BOX_MAX_NEW_PRINCIPALS: "3" } })).text;
        expectQuoted("docs/review.md", "blast-radius", out);
    });

    it("troubleshooting: a partial failure, as pulumi up prints it", async () => {
        fs.writeFileSync(
            file,
            revocations([
                {
                    name: "offboard-jdoe",
                    logins: ["jdoe@example.com", "amy@example.com", "gone@example.com"],
                    reason: "HR-4412",
                },
            ]),
        );
        const out = (await stack.run(["up", "--yes"])).text;
        expectQuoted(
            "docs/troubleshooting.md",
            "partial-failure",
            diagnosticsOf(out, "  pulumi-nodejs:dynamic/box:SessionTermination (offboard-jdoe):"),
        );
    });

    it("testing: a partial failure's step.error in the test kit", async () => {
        const kitBox = await startBoxEmulator({ directory: { userLogins: KNOWN } });
        const kit = await createTestStack({
            cwd: ROOT,
            pulumiRoot: path.dirname(PULUMI_BIN),
            config: { "box:accessToken": kitBox.accessToken, "box:baseUrl": kitBox.baseUrl },
            secretKeys: ["box:accessToken"],
        });
        try {
            const [step] = await kit.up(
                () =>
                    new SessionTermination("leavers", {
                        userLogins: [...KNOWN, "gone@example.com"],
                        reason: "HR-4412",
                    }),
            );
            expectQuoted("docs/testing.md", "test-kit-error", step.error ?? "");
        } finally {
            await kit.stop();
            await kitBox.close();
        }
    });
});
