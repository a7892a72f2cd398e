/* vm: a tiny stack-based bytecode interpreter with switch dispatch;
 * measures indirect branching (br_table) and small memory operations, the
 * shape of every interpreter. The bytecode program loops n times computing
 * a mixed sum; run(n) returns the value it leaves on the stack. */
#include "common.h"

enum {
	OP_HALT,
	OP_PUSH,  /* push imm */
	OP_LOAD,  /* push var[imm] */
	OP_STORE, /* var[imm] = pop */
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_XOR,
	OP_SHR,  /* a >> imm */
	OP_DUP,
	OP_JNZ,  /* if pop != 0 goto imm */
	OP_JMP,  /* goto imm */
	OP_LT,   /* push a < b */
	OP_INC,  /* var[imm]++ */
};

/* Program: var0 = n, var1 = 0 (i), var2 = 1 (acc)
 *   loop: acc = (acc * 33) ^ (i + (acc >> 3)); i++; if i < n goto loop
 *   push acc; halt */
static const i32 program[] = {
    /* 0 */ OP_LOAD, 2, OP_PUSH, 33, OP_MUL,
    /* 5 */ OP_LOAD, 1, OP_LOAD, 2, OP_SHR, 3, OP_ADD,
    /* 12 */ OP_XOR, OP_STORE, 2,
    /* 15 */ OP_INC, 1,
    /* 17 */ OP_LOAD, 1, OP_LOAD, 0, OP_LT, OP_JNZ, 0,
    /* 24 */ OP_LOAD, 2, OP_HALT,
};

static u32 execute(const i32 *code, u32 *vars) {
	u32 stack[64];
	i32 sp = 0, pc = 0;
	for (;;) {
		i32 op = code[pc++];
		switch (op) {
		case OP_HALT:
			return sp > 0 ? stack[sp - 1] : 0;
		case OP_PUSH:
			stack[sp++] = (u32)code[pc++];
			break;
		case OP_LOAD:
			stack[sp++] = vars[code[pc++]];
			break;
		case OP_STORE:
			vars[code[pc++]] = stack[--sp];
			break;
		case OP_ADD:
			sp--;
			stack[sp - 1] += stack[sp];
			break;
		case OP_SUB:
			sp--;
			stack[sp - 1] -= stack[sp];
			break;
		case OP_MUL:
			sp--;
			stack[sp - 1] *= stack[sp];
			break;
		case OP_XOR:
			sp--;
			stack[sp - 1] ^= stack[sp];
			break;
		case OP_SHR:
			stack[sp - 1] >>= code[pc++];
			break;
		case OP_DUP:
			stack[sp] = stack[sp - 1];
			sp++;
			break;
		case OP_JNZ:
			if (stack[--sp] != 0)
				pc = code[pc];
			else
				pc++;
			break;
		case OP_JMP:
			pc = code[pc];
			break;
		case OP_LT:
			sp--;
			stack[sp - 1] = stack[sp - 1] < stack[sp];
			break;
		case OP_INC:
			vars[code[pc++]]++;
			break;
		default:
			return 0xdeadu;
		}
	}
}

u32 run(u32 n) {
	u32 vars[4] = {n, 0, 1, 0};
	if (n == 0)
		return 1;
	return execute(program, vars);
}
