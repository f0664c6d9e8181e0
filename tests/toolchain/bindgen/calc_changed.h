/* calc.h as a host might have it after the plugin changed under it: scale's
 * second parameter is a long here. bind<> must refuse scale, naming both
 * signatures, and bind the rest. */
#ifndef CALC_CHANGED_H
#define CALC_CHANGED_H

int scale(int x, long factor);
extern int calc_calls;

#endif
