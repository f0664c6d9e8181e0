#ifndef SHAPES_H
#define SHAPES_H
struct rect {
  int w, h;
};
int area(struct rect r);
#endif
