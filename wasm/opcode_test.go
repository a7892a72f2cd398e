package wasm

import (
	"strings"
	"testing"
)

func TestOpcodeTableConsistent(t *testing.T) {
	names := map[string]Opcode{}
	for _, info := range OpInfos() {
		if got := info.Op.Info(); got == nil || got.Op != info.Op {
			t.Errorf("%s: Info lookup failed", info.Name)
		}
		// select, ref.test and ref.cast name two encodings each.
		if prev, dup := names[info.Name]; dup && info.Op != OpSelectT && prev != OpSelectT &&
			info.Op != OpRefTestNull && info.Op != OpRefCastNull {
			t.Errorf("name %q used by %v and %v", info.Name, prev, info.Op)
		}
		names[info.Name] = info.Op
		isMem := info.Imm == ImmMemArg || info.Imm == ImmMemArgLane
		if isMem != (info.Size > 0) {
			t.Errorf("%s: memory immediate %v but access size %d", info.Name, isMem, info.Size)
		}
		if info.Size&(info.Size-1) != 0 {
			t.Errorf("%s: access size %d is not a power of two", info.Name, info.Size)
		}
		shape, _, _ := strings.Cut(info.Name, ".")
		switch shape {
		case "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2":
			if info.Op.Prefix() != byte(PrefixSIMD) {
				t.Errorf("%s: SIMD instruction without the 0xFD prefix", info.Name)
			}
		}
	}
	// 2.0 has 236 SIMD instructions, relaxed SIMD 20 more; threads has
	// 67 atomic instructions, GC 31.
	counts := map[string]int{}
	for _, info := range OpInfos() {
		switch {
		case info.Op.Prefix() == byte(PrefixSIMD) && info.Op&0xFFFF < 0x100:
			counts["simd"]++
		case info.Op.Prefix() == byte(PrefixSIMD):
			counts["relaxed"]++
		case info.Op.Prefix() == byte(PrefixAtomic):
			counts["atomic"]++
		case info.Op.Prefix() == byte(PrefixGC):
			counts["gc"]++
		}
	}
	for k, want := range map[string]int{"simd": 236, "relaxed": 20, "atomic": 67, "gc": 31} {
		if counts[k] != want {
			t.Errorf("%s opcode count = %d, want %d", k, counts[k], want)
		}
	}
}

func TestValTypeRefs(t *testing.T) {
	if RefType(true, HeapFunc) != FuncRef || RefType(true, HeapExtern) != ExternRef {
		t.Fatal("nullable abstract references must canonicalise to the 2.0 shorthands")
	}
	r := RefType(false, 5)
	if !r.IsRef() || r.Nullable() || r.Heap() != 5 {
		t.Errorf("(ref 5): IsRef=%v Nullable=%v Heap=%v", r.IsRef(), r.Nullable(), r.Heap())
	}
	n := RefType(true, 7)
	if !n.Nullable() || n.Heap() != 7 || n == r {
		t.Errorf("(ref null 7) wrong: %v", n)
	}
	if I32.IsRef() || !FuncRef.IsRef() || !ExternRef.Nullable() {
		t.Error("2.0 types misclassified")
	}
	if got := RefType(false, HeapFunc).String(); got != "(ref func)" {
		t.Errorf("String = %q", got)
	}
}

func TestFeatures(t *testing.T) {
	if !Features2.Has(FeatureSIMD | FeatureBulkMemory) {
		t.Error("2.0 must include SIMD and bulk memory")
	}
	if Features2.Has(FeatureThreads) || Features3.Has(FeatureThreads) {
		t.Error("threads is not part of 2.0 or 3.0")
	}
	if !Features3.Has(Features2|FeatureGC|FeatureExceptions) || Features3 == Features2 {
		t.Error("3.0 must include 2.0, GC and exceptions")
	}
	if got := FeatureGC.WithImplied(); !got.Has(FeatureFunctionReferences | FeatureReferenceTypes) {
		t.Errorf("gc implies %s", got)
	}
	if Features2.WithImplied() != Features2 || Features3.WithImplied() != Features3 {
		t.Error("2.0 and 3.0 are closed under implication")
	}
	for _, n := range featureNames {
		f, ok := FeatureByName(n.name)
		if !ok || f != n.f {
			t.Errorf("FeatureByName(%q) = %v, %v", n.name, f, ok)
		}
	}
}

func TestOpcodeInfoUnknown(t *testing.T) {
	for _, op := range []Opcode{
		0x06 + 0x100, // not a prefixed form
		0xFA << 16, 0xFF << 16, 0x1FC << 16,
		PrefixMisc<<16 | 0xFFFF, PrefixSIMD<<16 | 0x1000, PrefixGC<<16 | 0x200, PrefixAtomic<<16 | 0x4F,
	} {
		if info := op.Info(); info != nil {
			t.Errorf("Opcode(%#x).Info() = %s, want nil", uint32(op), info.Name)
		}
	}
}
