// Command gofiles is a WASI test program built with GOOS=wasip1: it prints
// its arguments and environment, then writes, reads, lists and removes
// files beneath the directory named by its first argument.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	fmt.Println("hello from Go")
	for i, a := range os.Args {
		fmt.Printf("arg %d: %s\n", i, a)
	}
	env := os.Environ()
	sort.Strings(env)
	for _, kv := range env {
		fmt.Println("env", kv)
	}
	if len(os.Args) < 2 {
		return
	}
	dir := filepath.Join(os.Args[1], "go-work")
	check(os.Mkdir(dir, 0o755))
	for i := 0; i < 40; i++ {
		name := filepath.Join(dir, fmt.Sprintf("file-%02d.txt", i))
		check(os.WriteFile(name, []byte(fmt.Sprintf("contents %d\n", i)), 0o644))
	}
	data, err := os.ReadFile(filepath.Join(dir, "file-07.txt"))
	check(err)
	fmt.Printf("read: %s", data)
	f, err := os.OpenFile(filepath.Join(dir, "file-07.txt"), os.O_APPEND|os.O_WRONLY, 0)
	check(err)
	_, err = f.WriteString("more\n")
	check(err)
	check(f.Close())
	st, err := os.Stat(filepath.Join(dir, "file-07.txt"))
	check(err)
	fmt.Println("size:", st.Size())
	ents, err := os.ReadDir(dir)
	check(err)
	fmt.Printf("entries: %d, first %s, last %s\n", len(ents), ents[0].Name(), ents[len(ents)-1].Name())
	check(os.RemoveAll(dir))
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		fmt.Println("FAIL: directory still there:", err)
		os.Exit(1)
	}
	fmt.Println("removed")
	os.Exit(7)
}

func check(err error) {
	if err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
}
