// Flat config: typescript-eslint's recommended rules over every TypeScript file we own.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Module-level Map/Set, however wrapped (`Object.freeze(new Set())`, an object holding one, an
 * immediately invoked function): a by-value copy rebuilds them empty. One inside a function that runs
 * later is created anew each call, which is fine. A selector cannot say "not inside a function that
 * runs later", hence this rule.
 */
const moduleCollections = {
    meta: { type: "problem", schema: [] },
    create(context) {
        const isFunction = (n) =>
            n.type === "FunctionDeclaration" ||
            n.type === "FunctionExpression" ||
            n.type === "ArrowFunctionExpression";
        return {
            NewExpression(node) {
                if (
                    node.callee.type !== "Identifier" ||
                    !/^(Map|Set|WeakMap|WeakSet)$/.test(node.callee.name)
                )
                    return;
                for (let n = node.parent; n; n = n.parent) {
                    const invokedNow = n.parent?.type === "CallExpression" && n.parent.callee === n;
                    if (isFunction(n) && !invokedNow) return;
                }
                context.report({
                    node,
                    message:
                        "Module-level Map/Set are rebuilt empty in a by-value copy (pulumi/pulumi#2704): keep process state on globalThis (process-state.ts).",
                });
            },
        };
    },
};

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
        // function's text and captured values hold. These shapes do not survive it (docs/development.md,
        // "Capture modes"), and they fail silently, so they are errors here
        // rather than review comments. native/, policy/, revocations/ and testing/ are never copied.
        files: ["provider/core/**/*.ts", "provider/dynamic/**/*.ts"],
        plugins: { "by-value": { rules: { "no-module-collections": moduleCollections } } },
        rules: {
            "by-value/no-module-collections": "error",
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
                        "Code revived from __provider has no file of its own (copied by value): do not depend on where it lives.",
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
                        ":matches(ClassDeclaration, ClassExpression)[superClass]:not(:has(ClassBody > MethodDefinition[kind='method']))",
                    message:
                        "A subclass without a method loses its prototype chain in a by-value copy (an Error subclass stops being an Error): give it a method such as toJSON.",
                },
            ],
        },
    },
);
