package wast

import (
	"errors"

	"github.com/kilnrt/kiln/wasm"
)

// Parser reads the text format for a set of features. The zero value
// reads WebAssembly 2.0.
//
// The parser accepts the syntax of every proposal it knows whatever the
// features; they only decide between readings that differ between
// versions: with wasm.FeatureMemory64, limits and memarg offsets are
// 64-bit numbers even for 32-bit memories and tables (the validator checks
// their range), as in WebAssembly 3.0; without it they must fit 32 bits
// ("constant out of range"), as in 2.0.
type Parser struct {
	Features wasm.Features
}

// ParseModule reads one WAT module, either a (module ...) form or a bare
// sequence of module fields, and returns its binary encoding. filename is
// only used in error positions.
func (p Parser) ParseModule(filename string, src []byte) ([]byte, error) {
	return p.parseModuleText(Pos{File: filename, Line: 1, Col: 1}, filename, string(src))
}

// parseModuleText parses and encodes the module text src. When the text
// has a stray ')', an error in the well-formed part before it is reported
// first, as a reader that parses as it goes would.
func (p Parser) parseModuleText(pos Pos, file, src string) ([]byte, error) {
	nodes, err := parseTree(file, src)
	if err != nil {
		var treeErr *Error
		if len(nodes) > 0 && errors.As(err, &treeErr) {
			var first *Error
			if _, perr := p.encodeModuleNodes(pos, nodes); errors.As(perr, &first) && first.Pos.before(treeErr.Pos) {
				return nil, perr
			}
		}
		return nil, err
	}
	return p.encodeModuleNodes(pos, nodes)
}

// ParseModule reads a WebAssembly 2.0 WAT module: Parser{}.ParseModule.
func ParseModule(filename string, src []byte) ([]byte, error) {
	return Parser{}.ParseModule(filename, src)
}

// ParseScript reads a WebAssembly 2.0 WAST script: Parser{}.ParseScript.
func ParseScript(filename string, src []byte) (*Script, error) {
	return Parser{}.ParseScript(filename, src)
}

// parseQuoted parses and encodes the text of a (module quote ...).
func (p Parser) parseQuoted(pos Pos, text string) ([]byte, error) {
	return p.parseModuleText(pos, pos.File+" (quote at "+pos.String()+")", text)
}

// encodeModuleNodes encodes a module given as a single (module ...) node
// or as its fields.
func (p Parser) encodeModuleNodes(pos Pos, nodes []*node) ([]byte, error) {
	if len(nodes) == 1 && nodes[0].isList("module") {
		return p.encodeModule(nodes[0], 1)
	}
	return p.encodeModule(newList(pos, nodes, pos, &pos.File), 0)
}

// ParseScript reads a WAST script. It fails only when the script itself
// cannot be read (unbalanced parentheses, an unknown command, a bad
// action or value); a text module that does not encode records its error
// in Module.Err.
func (p Parser) ParseScript(filename string, src []byte) (*Script, error) {
	nodes, err := parseTree(filename, string(src))
	if err != nil {
		return nil, err
	}
	s := &Script{File: filename}
	for i := 0; i < len(nodes); i++ {
		n := nodes[i]
		if moduleFields[n.head()] {
			// Bare module fields form an implicit module.
			j := i
			for j < len(nodes) && moduleFields[nodes[j].head()] {
				j++
			}
			fields := newList(n.pos(), nodes[i:j], nodes[j-1].end(), n.file)
			m := &Module{Pos: n.pos(), Kind: ModuleText, parser: p}
			m.Binary, m.Err = p.encodeModule(fields, 0)
			s.Commands = append(s.Commands, &ModuleCommand{Module: m})
			i = j - 1
			continue
		}
		cmd, err := p.parseCommand(n)
		if err != nil {
			return nil, err
		}
		s.Commands = append(s.Commands, cmd)
	}
	return s, nil
}

// moduleFields are the keywords of module fields, which may appear at the
// top level of a script as an implicit module.
var moduleFields = map[string]bool{
	"type": true, "rec": true, "import": true, "func": true, "table": true, "memory": true,
	"global": true, "export": true, "start": true, "elem": true, "data": true, "tag": true,
}
