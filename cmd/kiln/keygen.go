package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kilnrt/kiln/sandbox"
)

func init() {
	register(command{
		name:    "keygen",
		summary: "create an Ed25519 key pair for signing modules",
		run:     runKeygen,
	})
}

// defaultKeyName is the base name of the key files when -o is not given.
const defaultKeyName = "kiln"

func runKeygen(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("o", defaultKeyName, "write the secret key to `NAME`.key and the public key to NAME.pub")
	id := fs.String("id", "", "key `ID` recorded in the key files and in signatures (optional)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiln keygen [-o NAME] [--id ID]\n\n"+
			"Creates NAME.key (secret, mode 0600, never overwritten) and NAME.pub.")
		fs.PrintDefaults()
	}
	if _, err := parseArgsAnyOrder(fs, args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	base := strings.TrimSuffix(strings.TrimSuffix(*name, ".key"), ".pub")
	if base == "" {
		fmt.Fprintln(stderr, "kiln: keygen: -o needs a non-empty name")
		return exitUsage
	}
	secretPath, publicPath := base+".key", base+".pub"

	sk, err := sandbox.GenerateKey(nil, *id)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: keygen: %v\n", err)
		return exitUsage // the only failure of GenerateKey we can cause is a bad --id
	}
	if err := writeKeyPair(sk, secretPath, publicPath); err != nil {
		fmt.Fprintf(stderr, "kiln: keygen: %v\n", err)
		return 1
	}
	pk := sk.Public()
	fmt.Fprintf(stdout, "secret key:  %s (keep it private)\n", secretPath)
	fmt.Fprintf(stdout, "public key:  %s\n", publicPath)
	if pk.ID != "" {
		fmt.Fprintf(stdout, "key id:      %s\n", pk.ID)
	}
	fmt.Fprintf(stdout, "fingerprint: %s\n", pk.Fingerprint())
	return 0
}

// writeKeyPair writes both key files or neither. Neither file may exist
// already: overwriting a secret key loses it, and overwriting a public key
// silently changes which signatures its users trust.
func writeKeyPair(sk *sandbox.SecretKey, secretPath, publicPath string) error {
	for _, p := range []string{secretPath, publicPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists; refusing to overwrite it (choose another name with -o)", p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := sk.WriteFile(secretPath); err != nil {
		return err
	}
	if err := createExclusive(publicPath, sk.Public().MarshalPEM(), 0o644); err != nil {
		// The secret key is useless without its public half, and was made
		// by us a moment ago.
		os.Remove(secretPath)
		return err
	}
	return nil
}

// createExclusive writes a new file, failing if name exists.
func createExclusive(name string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// parseArgsAnyOrder parses args with fs, allowing flags after positional
// arguments (kiln sign m.wasm --key k.key), and returns the positional
// arguments, which fs.Args also reports afterwards. "--" ends flag parsing.
func parseArgsAnyOrder(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Leave the positional arguments where fs.Args (and fs.NArg) find them.
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return nil, err
	}
	return positional, nil
}
