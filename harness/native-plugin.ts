/**
 * The native provider plugin as a user installs it: the packed tarball installed with
 * `npm install -g` (here under a prefix of its own), which puts `pulumi-resource-box` on PATH.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installPackedPackage } from "./capture";
import { removeOnExit } from "./temp-dirs";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let installed: Promise<string> | undefined;

/** The directory holding `pulumi-resource-box`, installed once per process from the packed tarball. */
export function pluginBinDir(): Promise<string> {
    installed ??= installPackedPackage().then(({ tarball }) => {
        const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "box-global-"));
        removeOnExit(prefix);
        execFileSync(
            NPM,
            [
                "install",
                "-g",
                "--prefix",
                prefix,
                tarball,
                "--prefer-offline",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ],
            { stdio: "ignore" },
        );
        const bin = path.join(prefix, "bin");
        if (!fs.existsSync(path.join(bin, "pulumi-resource-box")))
            throw new Error(`npm install -g put no pulumi-resource-box in ${bin}`);
        return bin;
    });
    return installed;
}
