#ifndef UTIL_H
#define UTIL_H
int sum_to(int n);
#endif
