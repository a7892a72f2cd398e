package difftest

import (
	"bufio"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
)

// seedBytes returns deterministic pseudo-random generator input for seed.
func seedBytes(seed int64, n int) []byte {
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	r.Read(b)
	return b
}

// seedCount returns how many seeds a test runs: n, or short under -short;
// $KILN_DIFFTEST_SEEDS overrides both.
func seedCount(t *testing.T, n, short int) int {
	t.Helper()
	if testing.Short() {
		n = short
	}
	return envInt(t, "KILN_DIFFTEST_SEEDS", n)
}

// envInt returns the integer in environment variable name, or def when it
// is unset.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

// loadExpectations reads testdata/expectations.txt: seed -> reason.
func loadExpectations(t *testing.T) map[int64]string {
	t.Helper()
	f, err := os.Open("testdata/expectations.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	exp := map[int64]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		num, reason, _ := strings.Cut(line, " ")
		seed, err := strconv.ParseInt(num, 10, 64)
		if err != nil || strings.TrimSpace(reason) == "" {
			t.Fatalf("expectations.txt: bad line %q (want: seed reason)", line)
		}
		exp[seed] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return exp
}
