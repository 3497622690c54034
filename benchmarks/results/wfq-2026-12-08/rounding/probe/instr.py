import sys
s=open(sys.argv[1]).read()
s=s.replace("final class RadixQueue {","final class RadixQueue {\n    static long moves, scans, splits;",1)
s=s.replace("    private void link(int e, int bucket) {\n","    private void link(int e, int bucket) {\n        moves++;\n",1)
s=s.replace("            least = Math.min(least, keys[x]);","            scans++;\n            least = Math.min(least, keys[x]);",1)
s=s.replace("        last = least;\n","        last = least;\n        splits++;\n",1)
open(sys.argv[2],'w').write(s)
