package ir

// The bulk-memory, table and reference operations and call results:
// their descriptions, arities and types (the verifier's rules).

// runtimeOp is the shape of an operation of the runtime group: its
// argument types and its result type (None: no result).
type runtimeOp struct {
	args   []Type
	result Type
}

var runtimeOps = map[Op]runtimeOp{
	OpMemoryFill: {[]Type{I32, I32, I32}, None},
	OpMemoryCopy: {[]Type{I32, I32, I32}, None},
	OpMemoryInit: {[]Type{I32, I32, I32}, None},
	OpDataDrop:   {nil, None},
	OpTableGet:   {[]Type{I32}, I64},
	OpTableSet:   {[]Type{I32, I64}, None},
	OpTableSize:  {nil, I32},
	OpTableGrow:  {[]Type{I64, I32}, I32},
	OpTableFill:  {[]Type{I32, I64, I32}, None},
	OpTableCopy:  {[]Type{I32, I32, I32}, None},
	OpTableInit:  {[]Type{I32, I32, I32}, None},
	OpElemDrop:   {nil, None},
	OpRefFunc:    {nil, I64},
}

func init() {
	names := map[Op]string{
		OpMemoryFill: "memory.fill", OpMemoryCopy: "memory.copy", OpMemoryInit: "memory.init",
		OpDataDrop: "data.drop", OpTableGet: "table.get", OpTableSet: "table.set",
		OpTableSize: "table.size", OpTableGrow: "table.grow", OpTableFill: "table.fill",
		OpTableCopy: "table.copy", OpTableInit: "table.init", OpElemDrop: "elem.drop",
		OpRefFunc: "ref.func",
	}
	for op, name := range names {
		// Every one reads or writes state outside the function (a table
		// element may change between two table.get), and most may trap.
		opInfos[op] = opInfo{name: name, effect: true}
	}
	// Kept right after its call, which the back end relies on.
	opInfos[OpCallResult] = opInfo{name: "call_result", effect: true}
}

// IsRuntime reports whether op is a bulk-memory, table or reference
// operation (Aux = Index | Index2<<32 of the wasm instruction).
func (op Op) IsRuntime() bool {
	_, ok := runtimeOps[op]
	return ok
}

// checkRuntime verifies an operation of the runtime group.
func (v *verifier) checkRuntime(b *Block, in *Value, argc func(int) bool, want func(bool, string, ...any)) {
	r := runtimeOps[in.Op]
	if !argc(len(r.args)) {
		return
	}
	for i, a := range in.Args {
		want(a.Type == r.args[i], "argument %d is %v, want %v", i, a.Type, r.args[i])
	}
	want(in.Type == r.result, "result %v, want %v", in.Type, r.result)
}

// checkCallResult verifies result Aux of a call with several results:
// its type, and that only other results of the same call come between
// the call and it.
func (v *verifier) checkCallResult(b *Block, in *Value, argc func(int) bool, want func(bool, string, ...any)) {
	if !argc(1) {
		return
	}
	call := in.Args[0]
	if (call.Op != OpCall && call.Op != OpCallIndirect) || call.Sig == nil || len(call.Sig.Results) < 2 {
		v.errorf(b, "v%d = %v of v%d, not a call with several results", in.ID, in.Op, call.ID)
		return
	}
	want(in.Aux >= 0 && int(in.Aux) < len(call.Sig.Results) && in.Type == call.Sig.Results[in.Aux],
		"result %d of type %v of a call returning %v", in.Aux, in.Type, call.Sig.Results)
	follows := false
	for i := len(b.Insts) - 1; i >= 0; i-- {
		if b.Insts[i] != in {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			p := b.Insts[j]
			if p == call {
				follows = true
				break
			}
			if p.Op != OpCallResult || p.Args[0] != call {
				break
			}
		}
		break
	}
	want(follows, "does not follow its call v%d", call.ID)
}
