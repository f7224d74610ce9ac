/**
 * The revocations file loader (`pulumi-box-session-termination/revocations`) and its JSON Schema:
 * every problem is named with file, entry and field, and the schema editors and CI use accepts and
 * refuses exactly what the loader does.
 */
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadRevocations, parseRevocations, RevocationsFileError } from "../../provider/revocations";

const ROOT = path.join(__dirname, "..", "..");
const schema = JSON.parse(
    fs.readFileSync(path.join(ROOT, "schema", "revocations.schema.json"), "utf8"),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function problemsOf(text: string): string[] {
    try {
        parseRevocations(text, "f.yaml");
        return [];
    } catch (err) {
        expect(err).to.be.instanceOf(RevocationsFileError);
        return (err as RevocationsFileError).problems;
    }
}

const VALID = [
    `revocations: []`,
    `revocations:\n  - name: a\n    reason: r\n    userIds: ["1", "2"]`,
    `revocations:\n  - name: a-1\n    reason: "HR-1"\n    userLogins: [a@b.c]\n    groupIds: ["9"]`,
    `{"$schema": "x", "revocations": [{"name": "json-too", "reason": "r", "groupIds": ["7"]}]}`,
];
const INVALID: Array<[string, RegExp]> = [
    [
        `revocations:\n  - name: Bad Name\n    reason: r\n    userIds: ["1"]`,
        /revocations\[0\]\.name must be 1-63 lower-case/,
    ],
    [`revocations:\n  - name: a\n    userIds: ["1"]`, /revocations\[0\]\.reason is required/],
    [
        `revocations:\n  - name: a\n    reason: "  "\n    userIds: ["1"]`,
        /revocations\[0\]\.reason is required/,
    ],
    [`revocations:\n  - name: a\n    reason: r`, /revocations\[0\] names nobody/],
    [`revocations:\n  - name: a\n    reason: r\n    userIds: []`, /revocations\[0\] names nobody/],
    [
        `revocations:\n  - name: a\n    reason: r\n    userIds: [1.5]`,
        /revocations\[0\]\.userIds\[0\] must be a quoted string: YAML read it as the number 1\.5/,
    ],
    [
        `revocations:\n  - name: a\n    reason: r\n    userLogins: [12]`,
        /revocations\[0\]\.userLogins\[0\] must be a quoted string/,
    ],
    [
        `revocations:\n  - name: a\n    reason: r\n    userIds: "1"`,
        /revocations\[0\]\.userIds must be a list/,
    ],
    [
        `revocations:\n  - name: a\n    reason: r\n    userIds: [0x10]`,
        /userIds\[0\] must be a quoted string: YAML read it as the number 16/,
    ],
    [
        `revocations:\n  - name: a\n    reason: r\n    userIds: [007]`,
        /userIds\[0\] must be a quoted string: YAML read it as the number 7/,
    ],
    [
        `revocations:\n  - name: a\n    reason: r\n    userIds: ["1"]\n    groupIds: null`,
        /revocations\[0\]\.groupIds must be a list/,
    ],
    [
        `revocations:\n  - name: a\n    reason: r\n    userIDs: ["1"]`,
        /revocations\[0\]\.userIDs is not one of/,
    ],
    [
        `revocations:\n  - {name: a, reason: r, userIds: ["1"]}\n  - {name: a, reason: r, userIds: ["2"]}`,
        /revocations\[1\]\.name "a" is used twice/,
    ],
    [`revocations:\n  - just a string`, /revocations\[0\] must be a mapping/],
    [`revocation: []`, /revocation is not "revocations"|expected a mapping with a "revocations:" list/],
    [`- a list`, /expected a mapping with a "revocations:" list/],
];

describe("revocations file loader and its JSON Schema", () => {
    it("accepts valid files", () => {
        expect(parseRevocations(VALID[1], "f.yaml")).to.deep.equal([
            { name: "a", reason: "r", userIds: ["1", "2"] },
        ]);
        for (const text of VALID) expect(problemsOf(text), text).to.deep.equal([]);
    });

    it("names the file, the entry and the field of every problem, all at once", () => {
        for (const [text, pattern] of INVALID) {
            const problems = problemsOf(text);
            expect(problems.join("\n"), text).to.match(pattern);
            expect(
                problems.every((p) => p.startsWith("f.yaml: ")),
                text,
            ).to.equal(true);
        }
        const many = problemsOf(
            `revocations:\n  - name: X\n  - name: y\n    reason: r\n    groupIds: [x, 1.5]`,
        );
        expect(many).to.have.length.of.at.least(4);
    });

    it("the schema accepts and refuses exactly what the loader does", () => {
        for (const text of VALID) expect(validate(parse(text)), text).to.equal(true);
        // A duplicate name is the one rule JSON Schema cannot express; everything else must agree.
        for (const [text] of INVALID.filter(([, p]) => !/used twice/.test(String(p)))) {
            expect(validate(parse(text)), text).to.equal(false);
        }
    });

    it("the schema compiles under Ajv's strict mode, and its $id is where the file is served", () => {
        expect(() => new Ajv2020({ strict: true }).compile(schema)).to.not.throw();
        expect((schema as { $id: string }).$id).to.equal(
            "https://unpkg.com/pulumi-box-session-termination/schema/revocations.schema.json",
        );
    });

    it("an unquoted number as reason is reported as needing quotes, not as missing", () => {
        const [problem] = problemsOf(`revocations:\n  - name: a\n    reason: 4412\n    userIds: ["1"]`);
        expect(problem).to.match(/revocations\[0\]\.reason must be text: quote it \("4412"\)/);
    });

    it("the gitops README's $schema line points where a copied project has the schema", () => {
        const readme = fs.readFileSync(path.join(ROOT, "examples", "gitops", "README.md"), "utf8");
        const line = /yaml-language-server: \$schema=(\S+)/.exec(readme)?.[1];
        expect(line).to.equal("./node_modules/pulumi-box-session-termination/schema/revocations.schema.json");
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).files).to.include(
            "schema/revocations.schema.json",
        );
    });

    it("the sample file in examples/gitops is valid under both", () => {
        const file = path.join(ROOT, "examples", "gitops", "revocations.yaml");
        expect(loadRevocations(file).map((r) => r.name)).to.deep.equal([
            "offboard-jdoe",
            "contractor-wave-3",
        ]);
        expect(validate(parse(fs.readFileSync(file, "utf8")))).to.equal(true);
    });

    it("an unreadable file is a clear error naming it", () => {
        expect(() => loadRevocations("/nonexistent/revocations.yaml")).to.throw(
            RevocationsFileError,
            /\/nonexistent\/revocations\.yaml: cannot read the revocations file \(ENOENT\)/,
        );
    });

    it("the CI workflow to copy previews pull requests without Box credentials and runs up only on merge", () => {
        const wf = parse(
            fs.readFileSync(
                path.join(ROOT, "examples", "gitops", ".github", "workflows", "revocations.yml"),
                "utf8",
            ),
        ) as {
            on: Record<string, unknown>;
            jobs: Record<string, { if: string; steps: Array<Record<string, unknown>> }>;
        };
        expect(Object.keys(wf.on).sort()).to.deep.equal(["pull_request", "push"]);
        const command = (job: string) =>
            (
                wf.jobs[job].steps.find((s) => String(s.uses).startsWith("pulumi/actions")) as {
                    with: { command: string };
                }
            ).with.command;
        expect([command("preview"), wf.jobs.preview.if]).to.deep.equal([
            "preview",
            "github.event_name == 'pull_request'",
        ]);
        expect([command("up"), wf.jobs.up.if]).to.deep.equal(["up", "github.event_name == 'push'"]);
        expect(JSON.stringify(wf.jobs.preview)).to.not.match(/BOX_/);
        expect(JSON.stringify(wf.jobs.up)).to.match(/BOX_CLIENT_SECRET/);
    });
});
