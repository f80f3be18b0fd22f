#include <stdio.h>
int main(void) { puts("motcua"); return 0; }
