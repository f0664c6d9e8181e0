"""Generated C projects for the driver's tests (tests/cache/driver_test.py,
tests/toolchain/monitor_test.py)."""
import os


def generated_project(path, n):
    """main.c calling n functions f0..f(n-1), one per file, the odd ones in src/part/."""
    os.makedirs(os.path.join(path, 'src', 'part'))
    with open(os.path.join(path, 'main.c'), 'w') as f:
        f.write('#include <stdio.h>\n' + ''.join('int f%d(void);\n' % i for i in range(n)) +
                'int main(void) { int s = 0;\n' + ''.join('  s += f%d();\n' % i for i in range(n)) +
                '  printf("sum %d\\n", s);\n  return 0;\n}\n')
    for i in range(n):
        sub = 'part' if i % 2 else ''
        with open(os.path.join(path, 'src', sub, 'f%d.c' % i), 'w') as f:
            f.write('int f%d(void) { return %d; }\n' % (i, i))
