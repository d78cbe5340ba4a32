// Parses PowerShell files with tree-sitter-powershell and prints, per file, the syntax errors and
// every command call with the parameter names it uses (the C# test checks those against the
// cmdlets' metadata). Usage: node scan-powershell.mjs NODE_MODULES_DIR LIST_FILE
// LIST_FILE holds one path per line; the output is one JSON object per line.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, listFile] = process.argv.slice(2);
const require = createRequire(join(resolve(nodeModules), "noop.js"));
const load = async (name) => (await import(pathToFileURL(require.resolve(name)).href)).default;
const Parser = await load("tree-sitter");
const PowerShell = await load("tree-sitter-powershell");
const parser = new Parser();
parser.setLanguage(PowerShell);

function* walk(node) {
  yield node;
  for (let i = 0; i < node.childCount; i++) yield* walk(node.child(i));
}

for (const file of readFileSync(listFile, "utf8").split("\n").filter((l) => l.length > 0)) {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  // the native binding takes long inputs through a callback
  const tree = parser.parse((index) => text.slice(index, index + 8192));
  const errors = [];
  const commands = [];
  for (const node of walk(tree.rootNode)) {
    if (node.type === "ERROR" || node.isMissing) {
      errors.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, text: node.text.slice(0, 80), missing: node.isMissing });
      continue;
    }
    if (node.type !== "command") continue;
    const name = node.childForFieldName("command_name");
    if (!name) continue;
    const elements = node.childForFieldName("command_elements");
    const parameters = [];
    let splat = false;
    if (elements) {
      for (let i = 0; i < elements.namedChildCount; i++) {
        const e = elements.namedChild(i);
        if (e.type === "command_parameter") parameters.push(e.text);
        else if (/^@[A-Za-z_]/.test(e.text)) splat = true;
      }
    }
    commands.push({ name: name.text, line: node.startPosition.row + 1, parameters, splat });
  }
  process.stdout.write(JSON.stringify({ file, errors, commands }) + "\n");
}
