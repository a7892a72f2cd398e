package kiln

import "sync"

// Linker resolves the imports of the instantiations that use it
// (ModuleConfig.Imports) by module name, before the runtime's registry.
// One Linker per guest process lets a module be instantiated many times in
// one Runtime, each instance linked to its own host modules and memories:
// the process's main instance and one instance per thread share the
// process's Linker; another process has another one. It is safe for
// concurrent use; its zero value is an empty linker.
type Linker struct {
	mu      sync.RWMutex
	modules map[string]*Instance
}

// NewLinker returns an empty linker.
func NewLinker() *Linker { return &Linker{modules: map[string]*Instance{}} }

// Define makes inst's exports importable under the module name name for
// instantiations that use l, replacing an earlier definition of name.
func (l *Linker) Define(name string, inst *Instance) *Linker {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.modules == nil {
		l.modules = map[string]*Instance{}
	}
	l.modules[name] = inst
	return l
}

// Lookup returns the instance defined under name, or nil.
func (l *Linker) Lookup(name string) *Instance {
	if l == nil {
		return nil
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.modules[name]
}

// resolve finds the instance an import of module name comes from: the
// configured linker first, then the runtime's registry.
func (r *Runtime) resolve(l *Linker, name string) *Instance {
	if inst := l.Lookup(name); inst != nil {
		return inst
	}
	return r.Lookup(name)
}
