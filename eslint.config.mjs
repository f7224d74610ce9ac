// Flat config: typescript-eslint's recommended rules over every TypeScript file we own.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", "examples/*/node_modules/**", "bench/.tmp/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // `catch {}` hides failures: every caught error must be handled or rethrown on purpose.
            "no-empty": ["error", { allowEmptyCatch: false }],
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
            ],
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // The core (both front doors run it) and the dynamic front door: Pulumi copies them BY VALUE
        // into `__provider` whenever a program does not load this package from `node_modules` (from
        // source, a monorepo workspace package, a vendored copy). A by-value copy keeps only what a
        // function's text and captured values hold. These shapes do not survive it (shared/NOTES:
        // "What Pulumi's closure serializer keeps"), and they fail silently, so they are errors here
        // rather than review comments. policy/, revocations/ and testing/ never run in a provider.
        files: ["provider/core/**/*.ts", "provider/dynamic/**/*.ts"],
        rules: {
            // A closure that reads a `let`/`const` declared after it is valid JavaScript, but Pulumi's
            // serializer cannot capture it ("Unexpected missing variable in closure environment").
            "@typescript-eslint/no-use-before-define": [
                "error",
                {
                    functions: false,
                    classes: false,
                    variables: true,
                    typedefs: false,
                    ignoreTypeReferences: true,
                },
            ],
            "no-restricted-globals": [
                "error",
                ...["__dirname", "__filename"].map((name) => ({
                    name,
                    message:
                        "Code revived from __provider has no file of its own (packed, or copied by value): do not depend on where it lives.",
                })),
            ],
            "no-restricted-syntax": [
                "error",
                {
                    selector: "PropertyDefinition[value!=null]",
                    message:
                        "Field initializers are dropped when Pulumi copies the provider by value: assign in the constructor.",
                },
                {
                    selector: "PrivateIdentifier",
                    message: "#private members break Pulumi's by-value copy of the provider: use `private`.",
                },
                {
                    selector: "StaticBlock",
                    message: "Static blocks are dropped when Pulumi copies the provider by value.",
                },
                {
                    selector:
                        ":matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$/]",
                    message:
                        "Module-level Map/Set are rebuilt empty in a by-value copy (pulumi/pulumi#2704): keep process state on globalThis (process-state.ts).",
                },
                {
                    selector:
                        "ClassDeclaration[superClass]:not(:has(ClassBody > MethodDefinition[kind='method']))",
                    message:
                        "A subclass without a method loses its prototype chain in a by-value copy (an Error subclass stops being an Error): give it a method such as toJSON.",
                },
            ],
        },
    },
);
