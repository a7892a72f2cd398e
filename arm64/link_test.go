package arm64

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// blTarget is where the BL at byte offset at of code branches.
func blTarget(t *testing.T, code []byte, at int) int {
	t.Helper()
	w := binary.LittleEndian.Uint32(code[at:])
	if w&0xFC000000 != 0x94000000 {
		t.Fatalf("%#08x at %#x is not a BL", w, at)
	}
	return at + 4*int(int32(w<<6)>>6)
}

// Link patches calls that reach directly and sends the others through
// one veneer per piece and target, placed after the calling piece.
func TestLinkVeneers(t *testing.T) {
	call := func(syms ...int) Piece {
		a := NewAssembler(Baseline)
		for _, s := range syms {
			a.CallExtern(s)
		}
		a.RET(LR)
		code, err := a.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return Piece{Code: code, Externs: a.Externs()}
	}
	pieces := []Piece{call(2, 2, 0), {Code: make([]byte, 128<<20)}, call(0, 3), call()}
	where := func(sym int) (int, int, error) { return sym, 0, nil }
	image, offs, err := Link(pieces, 64, where)
	if err != nil {
		t.Fatal(err)
	}
	veneer0 := offs[0] + len(pieces[0].Code)
	veneer2 := offs[2] + len(pieces[2].Code)
	for _, c := range []struct{ at, want int }{
		{offs[0], veneer0}, {offs[0] + 4, veneer0}, {offs[0] + 8, offs[0]}, // the same veneer twice; itself directly
		{offs[2], veneer2}, {offs[2] + 4, offs[3]},
	} {
		if got := blTarget(t, image, c.at); got != c.want {
			t.Errorf("BL at %#x goes to %#x, want %#x", c.at, got, c.want)
		}
	}
	if offs[1] != 64 || offs[3]%64 != 0 || offs[3]-veneer2 >= 64+4*farWords {
		t.Errorf("pieces at %#x", offs)
	}
	for _, v := range []int{veneer0, veneer2} {
		if w := binary.LittleEndian.Uint32(image[v+4*farAddrWords:]); w != 0xD61F0200 {
			t.Errorf("veneer at %#x ends with %#08x, want BR X16", v, w)
		}
	}
	for _, c := range []struct {
		align  int
		pieces []Piece
		where  func(int) (int, int, error)
		want   string
	}{
		{6, pieces, where, "alignment"},
		{4, []Piece{{Code: []byte{1, 2}}}, where, "whole instructions"},
		{4, []Piece{call(5)}, where, "not an instruction"},
		{4, []Piece{call(0)}, func(int) (int, int, error) { return 0, 2, nil }, "not an instruction"},
		{4, []Piece{call(1)}, func(int) (int, int, error) { return 0, 0, errors.New("no such symbol") }, "no such symbol"},
	} {
		if _, _, err := Link(c.pieces, c.align, c.where); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v", c.want, err)
		}
	}
}
