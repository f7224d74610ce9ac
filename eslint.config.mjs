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
        // Code that runs in Pulumi's provider host. When a program loads this package from source (a
        // monorepo workspace, a vendored copy, this repository), Pulumi copies it BY VALUE into
        // `__provider`, keeping only what a function's text and captured values hold. These shapes do
        // not survive that copy (shared/NOTES: "What Pulumi's closure serializer keeps"), and they fail
        // silently, so they are errors here rather than review comments.
        files: ["provider/**/*.ts"],
        // The resource class, the entry point and the revocations loader run in the program, never in
        // the provider host.
        ignores: [
            "provider/testing/**",
            "provider/resource.ts",
            "provider/index.ts",
            "provider/revocations.ts",
        ],
        rules: {
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
