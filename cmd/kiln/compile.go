package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kilnrt/kiln"
)

func init() {
	register(command{
		name:    "compile",
		summary: "compile a module ahead of time into an artifact kiln run loads directly",
		run:     runCompile,
	})
}

const compileUsage = `usage: kiln compile [FLAGS] MODULE -o FILE

Decodes, validates and compiles MODULE (binary or text) with the engine
--engine selects and writes the result to FILE, an artifact that kiln
run (and Runtime.CompileModule or LoadCompiled) loads without compiling
again.

An artifact carries the module and its compiled code (the interpreter's
translation, or the JIT's machine code for this CPU), authenticated
with the key of a compilation cache directory (--cache, default
$` + cacheEnv + `, else the user's cache directory/kiln): it loads
directly only where that key is (this user on this machine) and in the
same kiln build with the same features (--enable). Anywhere else, or if
a byte of it changed, its module is compiled again from scratch, never
trusted. The directory must be writable and readable only by you: its
key makes artifacts trusted.

flags:`

// cacheEnv names the environment variable of the default cache directory.
const cacheEnv = "KILN_CACHE_DIR"

func runCompile(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the artifact to `FILE`")
	cache := fs.String("cache", os.Getenv(cacheEnv), "compilation cache `DIR` whose key authenticates the artifact (default $"+cacheEnv+", else the user cache directory)")
	enable := fs.String("enable", "", featuresHelp+"; like kiln run, starts from 3.0 plus threads")
	engineName := fs.String("engine", engines[0].name, "execution engine `NAME` ("+engineNames()+")")
	if code, ok := parseFlags(fs, args, compileUsage, stderr); !ok {
		return code
	}
	// Accept -o after the module too (kiln compile m.wasm -o m.kc).
	rest := fs.Args()
	if len(rest) > 1 {
		if err := fs.Parse(rest[1:]); err != nil {
			return exitUsage
		}
		if fs.NArg() != 0 {
			fmt.Fprintf(stderr, "kiln compile: unexpected arguments %q\n", fs.Args())
			return exitUsage
		}
		rest = rest[:1]
	}
	if len(rest) != 1 || *out == "" {
		fmt.Fprintln(stderr, "kiln compile: want one MODULE and -o FILE\nrun 'kiln compile -h' for usage")
		return exitUsage
	}
	eng, err := lookupEngine(*engineName)
	if err != nil {
		fmt.Fprintf(stderr, "kiln compile: --engine: %v\n", err)
		return exitUsage
	}
	features, err := parseFeaturesFrom(runFeatures, *enable) // what kiln run loads
	if err != nil {
		fmt.Fprintf(stderr, "kiln compile: --enable: %v\n", err)
		return exitUsage
	}
	bin, err := readModule(rest[0], 0)
	if err != nil {
		fmt.Fprintf(stderr, "kiln compile: %v\n", err)
		return exitError
	}
	c, err := openCache(*cache)
	if err != nil {
		fmt.Fprintf(stderr, "kiln compile: %v\n", err)
		return exitError
	}
	cfg := kiln.RuntimeConfig{Features: features, CompilationCache: c}
	eng.configure(&cfg)
	rt := kiln.NewRuntime(cfg)
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		fmt.Fprintf(stderr, "kiln compile: %s: %s\n", rest[0], describeError(err))
		return exitError
	}
	art, err := rt.SaveCompiled(cm)
	if err == nil {
		err = os.WriteFile(*out, art, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kiln compile: %v\n", err)
		return exitError
	}
	return 0
}

// openCache opens the compilation cache in dir, or in the default
// directory ($KILN_CACHE_DIR, else <user cache dir>/kiln) when dir is "".
func openCache(dir string) (*kiln.CompilationCache, error) {
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("compilation cache: %w (set --cache or $%s)", err, cacheEnv)
		}
		dir = filepath.Join(base, "kiln")
	}
	return kiln.OpenCompilationCache(dir)
}

// useCache returns the cache kiln run uses: the one in dir when given,
// the default one to authenticate an artifact, else none.
func useCache(dir string, bin []byte) (*kiln.CompilationCache, error) {
	if dir == "" && !kiln.IsCompiled(bin) {
		return nil, nil
	}
	return openCache(dir)
}

// compileOrLoad compiles bin, or loads it when it is an artifact, saying
// so when an artifact could not be trusted and its module was compiled
// again.
func compileOrLoad(ctx context.Context, rt *kiln.Runtime, name string, bin []byte, stderr io.Writer) (*kiln.CompiledModule, error) {
	c := rt.Config().CompilationCache
	if c == nil || !kiln.IsCompiled(bin) {
		return rt.CompileModule(ctx, bin)
	}
	before := c.Stats().Rejected
	cm, err := rt.CompileModule(ctx, bin)
	if err == nil && c.Stats().Rejected != before {
		fmt.Fprintf(stderr, "kiln run: %s: artifact not made by this kiln build and features or not authenticated by %s: compiled its module again\n",
			name, filepath.Join(c.Dir(), "key"))
	}
	return cm, err
}
