package bench

// Workload is one timed call: the exported function Entry of the committed
// binary workloads/wasm/<Module>.wasm, called with a single argument.
type Workload struct {
	Name   string // benchmark name
	Module string // binary name in workloads/wasm, without .wasm
	Entry  string // exported function: (i32) -> i32 or (i32) -> i64
	// Arg is the argument of the timed call; TestArg a small one for tests.
	Arg, TestArg uint64
	// Result64 is set when Entry returns i64 (otherwise only the low 32
	// bits of the result are significant).
	Result64 bool
	// Want computes the expected result natively in Go.
	Want func(arg uint64) uint64
	// What says what the kernel stresses.
	What string
}

// Check reports whether raw is the result Want gives for arg.
func (w Workload) Check(arg, raw uint64) (want uint64, ok bool) {
	want = w.Want(arg)
	if !w.Result64 {
		raw = uint64(uint32(raw))
	}
	return want, raw == want
}

// Workloads lists the kernels in report order. Arguments are chosen so that
// one call takes a few milliseconds on wazero's interpreter.
func Workloads() []Workload {
	return []Workload{
		{Name: "fib", Module: "fib", Entry: "run", Arg: 25, TestArg: 15,
			Want: refFib, What: "recursive calls"},
		{Name: "sieve", Module: "sieve", Entry: "run", Arg: 1 << 16, TestArg: 1000,
			Want: refSieve, What: "byte loads/stores in tight loops"},
		{Name: "loops", Module: "loops", Entry: "run", Arg: 120, TestArg: 7,
			Want: refLoops, What: "nested counted loops, integer ALU"},
		{Name: "matmul", Module: "matmul", Entry: "run", Arg: 64, TestArg: 5,
			Result64: true, Want: refMatmul, What: "f64 multiply-add, address arithmetic"},
		{Name: "sha256", Module: "sha256", Entry: "run", Arg: 16 << 10, TestArg: 1000,
			Want: refSHA256, What: "32-bit rotates, shifts, adds"},
		{Name: "qsort", Module: "qsort", Entry: "run", Arg: 10000, TestArg: 100,
			Want: refQsort, What: "data-dependent branches, recursion"},
		{Name: "vm", Module: "vm", Entry: "run", Arg: 10000, TestArg: 10,
			Want: refVM, What: "switch dispatch (br_table)"},
		{Name: "memcpy-bulk", Module: "memops", Entry: "run", Arg: 4, TestArg: 2,
			Want: refMemops, What: "memory.copy / memory.fill"},
		{Name: "memcpy-bytes", Module: "memops", Entry: "run_bytes", Arg: 4, TestArg: 2,
			Want: refMemops, What: "byte-at-a-time copy and fill loops"},
		{Name: "simd", Module: "simd", Entry: "run", Arg: 64, TestArg: 2,
			Want: refSIMD, What: "v128 lane arithmetic and shuffles"},
		{Name: "ctype", Module: "ctype", Entry: "run", Arg: 4, TestArg: 2,
			Want: refCtype, What: "byte-at-a-time character classification"},
		{Name: "hash64", Module: "hash64", Entry: "run", Arg: 100, TestArg: 3,
			Result64: true, Want: refHash64, What: "i64 multiply-rotate hash"},
		{Name: "matstride", Module: "matstride", Entry: "run", Arg: 48, TestArg: 5,
			Result64: true, Want: refMatstride, What: "f64 matrix multiply, strided column walk"},
		{Name: "chacha", Module: "chacha", Entry: "run", Arg: 800, TestArg: 3,
			Want: refChacha, What: "ChaCha20 block function: i32 add/xor/rotate"},
		{Name: "fibdeep", Module: "fibdeep", Entry: "run", Arg: 40, TestArg: 3,
			Result64: true, Want: refFibdeep, What: "linear recursion 1000 frames deep"},
		{Name: "bucket", Module: "bucket", Entry: "run", Arg: 20000, TestArg: 100,
			Want: refBucket, What: "token buckets: many small calls, struct fields"},
		{Name: "csv", Module: "csv", Entry: "run", Arg: 4, TestArg: 2,
			Want: refCSV, What: "CSV parser: quoted fields, digit accumulation"},
	}
}
