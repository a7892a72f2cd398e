// Runs one WASI/WASIX command module under @wasmer/sdk (the reference
// runtime for kiln's WASIX differential test) and prints one JSON line:
// {"stdout": ..., "stderr": ..., "exitCode": N, "reason": "exited"|...}.
//
//   node run.mjs [--file GUESTPATH=CONTENT]... [--bytes GUESTPATH=HOSTPATH]...
//                [--host-network] PROGRAM.wasm [ARG...]
//
// Each --file creates a file in the sandbox (paths under /workspace);
// each --bytes one holding the bytes of a host file (a program to start).
// No network is used: the module is loaded from bytes, the package cache
// is kept in memory and the sandbox's network policy is disabled, unless
// --host-network gives the guest the host's network (for the socket
// programs, which reach only loopback addresses).
import { readFile } from "node:fs/promises";
import { Wasmer } from "@wasmer/sdk/node";

const argv = process.argv.slice(2);
const files = {};
let network = { mode: "disabled" };
for (;;) {
	if (argv[0] === "--host-network") {
		network = { mode: "host" };
		argv.splice(0, 1);
		continue;
	}
	if (argv[0] !== "--file" && argv[0] !== "--bytes") {
		break;
	}
	const [path, ...content] = argv[1].split("=");
	files[path] = argv[0] === "--file" ? content.join("=") : new Uint8Array(await readFile(content.join("=")));
	argv.splice(0, 2);
}
const [file, ...args] = argv;
if (!file) {
	console.error("usage: node run.mjs PROGRAM.wasm [ARG...]");
	process.exit(2);
}

const wasmer = new Wasmer({ cache: "memory" });
let code = 0;
try {
	const pkg = await wasmer.packages.load(new Uint8Array(await readFile(file)));
	const sandbox = await wasmer.sandboxes.create({ packages: [pkg], files, network });
	try {
		const out = await sandbox.command(pkg, args).run({ check: false, timeoutMs: 20000 });
		process.stdout.write(JSON.stringify({
			stdout: out.stdout.text(),
			stderr: out.stderr.text(),
			exitCode: out.exitCode,
			reason: out.reason,
		}) + "\n");
	} finally {
		await sandbox.close();
	}
} catch (err) {
	console.error(`run.mjs: ${err?.stack ?? err}`);
	code = 1;
} finally {
	await wasmer.close();
}
process.exit(code);
