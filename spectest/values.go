package spectest

import (
	"fmt"
	"math"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// hostValue is the Go value standing for the script's (ref.extern N) and
// (ref.host N): the same host payload N seen as an external or an internal
// reference, so that extern.convert_any / any.convert_extern, which keep
// the payload, turn one into the other as the reference interpreter does.
type hostValue uint32

func toKiln(v wast.Value) kiln.Value {
	k := kiln.Value{Type: v.Type, Lo: v.Lo, Hi: v.Hi}
	if v.Type.IsRef() && !v.Null {
		k.Ref = hostValue(v.Ref)
	}
	return k
}

// matches reports whether got satisfies the expected result.
func matches(want wast.Result, got kiln.Value) bool {
	switch want.Kind {
	case wast.ResultValue:
		v := want.Value
		if v.Type.IsRef() {
			if !got.Type.IsRef() {
				return false
			}
			if v.Null {
				return isNull(got.Ref)
			}
			return got.Ref == any(hostValue(v.Ref))
		}
		if got.Type != v.Type {
			return false
		}
		return got.Lo == v.Lo && (v.Type != wasm.V128 || got.Hi == v.Hi)
	case wast.ResultNaN:
		if got.Type != want.Value.Type {
			return false
		}
		if got.Type == wasm.F32 {
			return nan32(uint32(got.Lo), want.NaN)
		}
		return nan64(got.Lo, want.NaN)
	case wast.ResultLanes:
		if got.Type != wasm.V128 {
			return false
		}
		return lanesMatch(want, got)
	case wast.ResultRefNull:
		return got.Type.IsRef() && isNull(got.Ref)
	case wast.ResultRef:
		if !got.Type.IsRef() || isNull(got.Ref) {
			return false
		}
		switch want.Heap {
		case wasm.HeapFunc:
			_, ok := got.Ref.(*kiln.Func)
			return ok
		}
		return true
	case wast.ResultEither:
		for _, alt := range want.Either {
			if matches(alt, got) {
				return true
			}
		}
	}
	return false
}

func isNull(ref any) bool {
	if ref == nil {
		return true
	}
	if f, ok := ref.(*kiln.Func); ok && f == nil {
		return true
	}
	return false
}

func lanesMatch(want wast.Result, got kiln.Value) bool {
	wb, gb := want.Value.V128(), (wast.Value{Lo: got.Lo, Hi: got.Hi}).V128()
	size := want.Shape.LaneBits() / 8
	for i := 0; i < want.Shape.Lanes(); i++ {
		w, g := wb[i*size:(i+1)*size], gb[i*size:(i+1)*size]
		if want.LaneNaN[i] == wast.NaNNone {
			if string(w) != string(g) {
				return false
			}
			continue
		}
		var ok bool
		if size == 4 {
			ok = nan32(le32(g), want.LaneNaN[i])
		} else {
			ok = nan64(uint64(le32(g))|uint64(le32(g[4:]))<<32, want.LaneNaN[i])
		}
		if !ok {
			return false
		}
	}
	return true
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// nan32 checks an f32 NaN pattern: canonical NaNs have only the top
// payload bit set; arithmetic NaNs have at least that bit.
func nan32(bits uint32, kind wast.NaNKind) bool {
	const exp, quiet, payload = 0x7F800000, 0x00400000, 0x007FFFFF
	if bits&exp != exp || bits&payload == 0 {
		return false
	}
	if kind == wast.NaNCanonical {
		return bits&payload == quiet
	}
	return bits&quiet != 0
}

func nan64(bits uint64, kind wast.NaNKind) bool {
	const exp, quiet, payload = 0x7FF0000000000000, 0x0008000000000000, 0x000FFFFFFFFFFFFF
	if bits&exp != exp || bits&payload == 0 {
		return false
	}
	if kind == wast.NaNCanonical {
		return bits&payload == quiet
	}
	return bits&quiet != 0
}

func formatValues(vs []kiln.Value) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = formatValue(v.Type, v.Lo, v.Hi, v.Ref)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func formatResults(rs []wast.Result) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = formatResult(r)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func formatResult(r wast.Result) string {
	switch r.Kind {
	case wast.ResultNaN:
		return fmt.Sprintf("%s:nan:%d", r.Value.Type, r.NaN)
	case wast.ResultLanes:
		return fmt.Sprintf("v128 %s lanes %#016x%016x", r.Shape, r.Value.Hi, r.Value.Lo)
	case wast.ResultRefNull:
		return "ref.null"
	case wast.ResultRef:
		return "ref." + r.Heap.String()
	case wast.ResultEither:
		alts := make([]string, len(r.Either))
		for i, a := range r.Either {
			alts[i] = formatResult(a)
		}
		return "either(" + strings.Join(alts, " | ") + ")"
	}
	v := r.Value
	if v.Type.IsRef() {
		if v.Null {
			return "ref.null " + v.Type.String()
		}
		return fmt.Sprintf("ref.extern %d", v.Ref)
	}
	return formatValue(v.Type, v.Lo, v.Hi, nil)
}

func formatValue(t wasm.ValType, lo, hi uint64, ref any) string {
	switch t {
	case wasm.I32:
		return fmt.Sprintf("i32:%d", int32(lo))
	case wasm.I64:
		return fmt.Sprintf("i64:%d", int64(lo))
	case wasm.F32:
		return fmt.Sprintf("f32:%v(%#x)", math.Float32frombits(uint32(lo)), uint32(lo))
	case wasm.F64:
		return fmt.Sprintf("f64:%v(%#x)", math.Float64frombits(lo), lo)
	case wasm.V128:
		return fmt.Sprintf("v128:%#016x%016x", hi, lo)
	}
	if t.IsRef() {
		if isNull(ref) {
			return "ref.null"
		}
		return fmt.Sprintf("ref:%v", ref)
	}
	return fmt.Sprintf("%s:%#x", t, lo)
}
