/**
 * The committed SDKs (sdk/python, sdk/go) are what the pinned CLI generates from the committed schema
 * today, file for file: a schema change without `npm run gen:sdks` fails here, not in a user's build.
 * And the schema itself is valid against Pulumi's metaschema, the one the pinned pkg/v3 embeds.
 */
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { workDir } from "../../harness/cli-stack";
import { generateSdks, SDK_LANGUAGES, treeOf } from "../../scripts/gen-sdks";

describe("sdk/: the generated SDKs never drift from schema/box.schema.json", function () {
    this.timeout(300_000);

    it("pulumi package gen-sdk makes the committed sdk/python and sdk/go again, byte for byte", async () => {
        const out = workDir("gen-sdk");
        await generateSdks(out);
        for (const language of SDK_LANGUAGES) {
            const committed = treeOf(path.join(__dirname, "..", "..", "sdk", language));
            const fresh = treeOf(path.join(out, language));
            expect([...committed.keys()].sort(), `sdk/${language}'s files (npm run gen:sdks)`).to.deep.equal(
                [...fresh.keys()].sort(),
            );
            for (const [file, text] of fresh) {
                expect(committed.get(file), `sdk/${language}/${file} (npm run gen:sdks)`).to.equal(text);
            }
            expect(fresh.size).to.be.greaterThan(3);
        }
        // What a user imports: the resource, its provider, and a docstring from the TSDoc.
        const py = fs.readFileSync(
            path.join(out, "python", "pulumi_box_session_termination", "session_termination.py"),
            "utf8",
        );
        expect(py).to.include("class SessionTermination(pulumi.CustomResource)");
        expect(py).to.include("user_logins");
        const go = fs.readFileSync(path.join(out, "go", "box", "sessionTermination.go"), "utf8");
        expect(go).to.include("func NewSessionTermination(ctx *pulumi.Context");
        // The Go SDK builds on its own, every download checked against its committed go.sum.
        execFileSync("go", ["build", "./..."], {
            timeout: 300_000,
            cwd: path.join(__dirname, "..", "..", "sdk", "go"),
            env: { ...process.env, GOFLAGS: "-mod=readonly" },
            stdio: ["ignore", "ignore", "pipe"],
        });
    });
});

describe("schema/box.schema.json against Pulumi's metaschema (pkg/v3's codegen/schema/pulumi.json)", () => {
    // The copy the pinned CLI was built with, from the Go module cache its build filled.
    const pkgDir = execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/pkg/v3"], {
        cwd: path.join(__dirname, "..", "..", "pulumi-cli"),
        encoding: "utf8",
    }).trim();
    const meta = JSON.parse(fs.readFileSync(path.join(pkgDir, "codegen", "schema", "pulumi.json"), "utf8"));
    // Formats the metaschema names but ajv does not know (regex, uri-reference) are not checked.
    const validate = new Ajv2020({ strict: false, allErrors: true, logger: false }).compile(meta);
    const schema = JSON.parse(
        fs.readFileSync(path.join(__dirname, "..", "..", "schema", "box.schema.json"), "utf8"),
    ) as { resources: Record<string, { inputProperties: Record<string, unknown> }> };

    it("is valid", () => {
        expect(validate(schema), JSON.stringify(validate.errors)).to.equal(true);
    });

    it("and the check can fail: a list property without items is refused, by path", () => {
        const broken = structuredClone(schema);
        broken.resources["box:index:SessionTermination"].inputProperties.userIds = { type: "array" };
        expect(validate(broken)).to.equal(false);
        expect(validate.errors?.map((e) => e.instancePath)).to.include(
            "/resources/box:index:SessionTermination/inputProperties/userIds",
        );
    });
});
