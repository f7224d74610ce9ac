/**
 * One program, written in each language a user of the native provider writes it in: YAML, Python
 * (the generated SDK in sdk/python and `pulumi` from PyPI, in a virtualenv) and Go (the generated SDK
 * in sdk/go, through a replace). The engine tests run the same scenario over each.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pinnedVersion } from "../scripts/pulumi-cli";
import { removeOnExit } from "./temp-dirs";

const ROOT = path.join(__dirname, "..");
/** Python's `pulumi` from PyPI: the newest it serves (the CLI is v3.274.1; PyPI has up to 3.272.0). */
export const PYTHON_PULUMI = "3.272.0";
/** Go's `pulumi` SDK: the pinned CLI's own version, which the Go module proxy serves. */
export const GO_PULUMI = pinnedVersion();

/** A SessionTermination in the program. */
export interface Termination {
    name: string;
    userLogins?: string[];
    userIds?: string[];
    /** Given as a secret in the program. */
    secretReason?: string;
    /** The explicit provider (by name) it uses, instead of the stack's default. */
    provider?: string;
}

/** An explicit provider for another enterprise, its token given as a secret in the program. */
export interface ExplicitProvider {
    name: string;
    baseUrl: string;
    secretToken: string;
}

/** What the program declares. */
export interface NativeProgram {
    providers?: ExplicitProvider[];
    resources: Termination[];
}

/** A language's way of writing and running the program. */
export interface Language {
    name: "yaml" | "python" | "go";
    /** Writes Pulumi.yaml and what the language needs once (a virtualenv, go.mod). */
    prepare(dir: string, project: string): Promise<void>;
    /** Writes the program's source. */
    write(dir: string, project: string, program: NativeProgram): void;
    /** The files holding the program's own text (which holds the canaries on purpose). */
    sources(dir: string): string[];
    /** Environment for the CLI. */
    env(): Record<string, string>;
}

const q = JSON.stringify;

const yaml: Language = {
    name: "yaml",
    async prepare(dir, project) {
        yaml.write(dir, project, { resources: [] });
    },
    write(dir, project, program) {
        const lines = [`name: ${project}`, "runtime: yaml", "resources:"];
        for (const p of program.providers ?? []) {
            lines.push(`  ${p.name}:`, "    type: pulumi:providers:box", "    properties:");
            lines.push(
                `      baseUrl: ${p.baseUrl}`,
                "      accessToken:",
                `        fn::secret: ${p.secretToken}`,
            );
        }
        for (const r of program.resources) {
            lines.push(`  ${r.name}:`, "    type: box:index:SessionTermination", "    properties:");
            lines.push(`      userLogins: ${q(r.userLogins ?? [])}`, `      userIds: ${q(r.userIds ?? [])}`);
            if (r.secretReason) lines.push("      reason:", `        fn::secret: ${r.secretReason}`);
            if (r.provider) lines.push("    options:", `      provider: \${${r.provider}}`);
        }
        if (program.resources.length === 0) lines.push("  {}");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), lines.join("\n") + "\n");
    },
    sources: (dir) => [path.join(dir, "Pulumi.yaml")],
    env: () => ({}),
};

let venv: string | undefined;
/** One virtualenv per test process, outside every stack's directory, with the SDK and `pulumi`. */
function pythonVenv(): string {
    if (venv) return venv;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "box-venv-"));
    removeOnExit(dir);
    execFileSync("python3", ["-m", "venv", dir], { timeout: 300_000, stdio: "ignore" });
    const pip = path.join(dir, "bin", "pip");
    // From a copy: pip builds a local directory in place (build/, *.egg-info), which would leave
    // files in sdk/python that the drift test rightly counts.
    const sdk = path.join(dir, "sdk-python");
    fs.cpSync(path.join(ROOT, "sdk", "python"), sdk, { recursive: true });
    execFileSync(
        pip,
        ["install", "--quiet", "--disable-pip-version-check", `pulumi==${PYTHON_PULUMI}`, sdk],
        {
            timeout: 300_000,
            stdio: ["ignore", "ignore", "pipe"],
        },
    );
    venv = dir;
    return dir;
}

const python: Language = {
    name: "python",
    async prepare(dir, project) {
        const env = pythonVenv();
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            [`name: ${project}`, "runtime:", "  name: python", "  options:", `    virtualenv: ${env}`].join(
                "\n",
            ) + "\n",
        );
        python.write(dir, project, { resources: [] });
    },
    write(dir, _project, program) {
        const lines = ["import pulumi", "import pulumi_box_session_termination as box", ""];
        for (const p of program.providers ?? []) {
            lines.push(
                `${p.name} = box.Provider(${q(p.name)}, base_url=${q(p.baseUrl)}, access_token=pulumi.Output.secret(${q(p.secretToken)}))`,
            );
        }
        for (const r of program.resources) {
            const args = [
                q(r.name),
                `user_logins=${q(r.userLogins ?? [])}`,
                `user_ids=${q(r.userIds ?? [])}`,
            ];
            if (r.secretReason) args.push(`reason=pulumi.Output.secret(${q(r.secretReason)})`);
            if (r.provider) args.push(`opts=pulumi.ResourceOptions(provider=${r.provider})`);
            lines.push(`box.SessionTermination(${args.join(", ")})`);
        }
        fs.writeFileSync(path.join(dir, "__main__.py"), lines.join("\n") + "\n");
    },
    sources: (dir) => [path.join(dir, "__main__.py")],
    // The program's compiled bytes would hold its own constants, canaries among them.
    env: () => ({ PYTHONDONTWRITEBYTECODE: "1" }),
};

const goStrings = (list: string[] = []) =>
    `pulumi.ToStringArray(${`[]string{${list.map((s) => q(s)).join(", ")}}`})`;

const go: Language = {
    name: "go",
    async prepare(dir, project) {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: go\n`);
        fs.writeFileSync(
            path.join(dir, "go.mod"),
            [
                "module example.com/offboard",
                "",
                "go 1.26",
                "",
                `require github.com/pulumi/pulumi/sdk/v3 ${GO_PULUMI}`,
                "",
                `replace github.com/pulumi-box-session-termination/sdk/go => ${path.join(ROOT, "sdk", "go")}`,
            ].join("\n") + "\n",
        );
        go.write(dir, project, { resources: [{ name: "placeholder" }] });
        execFileSync("go", ["mod", "tidy"], {
            timeout: 300_000,
            cwd: dir,
            stdio: ["ignore", "ignore", "pipe"],
        });
        go.write(dir, project, { resources: [] });
    },
    write(dir, _project, program) {
        const body: string[] = [];
        for (const p of program.providers ?? []) {
            body.push(
                `\t\t${p.name}, err := box.NewProvider(ctx, ${q(p.name)}, &box.ProviderArgs{BaseUrl: pulumi.String(${q(p.baseUrl)}), AccessToken: pulumi.ToSecret(pulumi.String(${q(p.secretToken)})).(pulumi.StringOutput)})`,
                "\t\tif err != nil {\n\t\t\treturn err\n\t\t}",
            );
        }
        for (const r of program.resources) {
            const fields = [`UserLogins: ${goStrings(r.userLogins)}`, `UserIds: ${goStrings(r.userIds)}`];
            if (r.secretReason)
                fields.push(
                    `Reason: pulumi.ToSecret(pulumi.String(${q(r.secretReason)})).(pulumi.StringOutput)`,
                );
            const opts = r.provider ? `, pulumi.Provider(${r.provider})` : "";
            body.push(
                `\t\tif _, err := box.NewSessionTermination(ctx, ${q(r.name)}, &box.SessionTerminationArgs{${fields.join(", ")}}${opts}); err != nil {\n\t\t\treturn err\n\t\t}`,
            );
        }
        const source = [
            "package main",
            "",
            "import (",
            '\t"github.com/pulumi-box-session-termination/sdk/go/box"',
            '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
            ")",
            "",
            "func main() {",
            "\tpulumi.Run(func(ctx *pulumi.Context) error {",
            ...body,
            "\t\treturn nil",
            "\t})",
            "}",
        ];
        // An empty program would leave the SDK import unused, which Go refuses.
        if (program.resources.length === 0) source.splice(6, 0, "var _ = box.NewSessionTermination", "");
        fs.writeFileSync(path.join(dir, "main.go"), source.join("\n") + "\n");
    },
    sources: (dir) => [path.join(dir, "main.go")],
    env: () => ({}),
};

/** Every language the native provider's programs are tested in. */
export const LANGUAGES: Language[] = [yaml, python, go];
