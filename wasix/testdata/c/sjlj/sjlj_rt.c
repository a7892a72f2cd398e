/*
 * The runtime functions LLVM 14's exception-based setjmp/longjmp lowering
 * calls (the names and meanings the lowering fixes; this implementation
 * is kiln's own). A function that calls setjmp keeps a table of
 * {setjmp id, label} slots ended by an id of 0; saveSetjmp gives the
 * buffer a new id and records it with the label of the setjmp call site,
 * growing the table (its new size comes back through getTempRet0);
 * testSetjmp finds the label of an id, 0 when the longjmp is for another
 * function's setjmp; __wasm_longjmp (which the lowering calls in place of
 * longjmp, so it turns a value of 0 into 1) throws the __c_longjmp tag (index 1)
 * with a pointer to {buffer, value}, which the catching function reads.
 *
 * It is compiled on its own, with exception handling but without the
 * setjmp/longjmp lowering (build.sh links it into kiln:wasm-sjlj
 * programs).
 */
#include <stdint.h>
#include <stdlib.h>

struct sjlj_slot {
	uint32_t id, label;
};

static uint32_t sjlj_temp, sjlj_last_id;

uint32_t getTempRet0(void) { return sjlj_temp; }
void setTempRet0(uint32_t v) { sjlj_temp = v; }

struct sjlj_slot *saveSetjmp(uint32_t *env, uint32_t label, struct sjlj_slot *table, uint32_t size) {
	uint32_t free_slot = 0;
	while (free_slot < size && table[free_slot].id != 0)
		free_slot++;
	if (free_slot == size) {
		size *= 2;
		table = realloc(table, sizeof *table * (size + 1));
		if (table == NULL)
			abort();
	}
	*env = ++sjlj_last_id;
	table[free_slot] = (struct sjlj_slot){*env, label};
	table[free_slot + 1].id = 0;
	sjlj_temp = size;
	return table;
}

uint32_t testSetjmp(uint32_t id, const struct sjlj_slot *table, uint32_t size) {
	for (uint32_t i = 0; i < size && table[i].id != 0; i++) {
		if (table[i].id == id)
			return table[i].label;
	}
	return 0;
}

static struct {
	void *env;
	int val;
} sjlj_thrown;

void __wasm_longjmp(void *env, int val) {
	sjlj_thrown.env = env;
	sjlj_thrown.val = val != 0 ? val : 1; /* longjmp(env, 0) returns 1 */
	__builtin_wasm_throw(1, &sjlj_thrown);
}
