#!/usr/bin/env python3
"""A real X text editor window (Tk Text) that tests type into, driven over stdin:
   value -> prints the text as JSON | clear | quit   (arguments: title=, geometry=, focus=1)
Also reports every mouse button press as JSON lines on request: clicks -> [[button, x_root, y_root], ...]
and every key press with its modifier state: keys -> [[keysym, ctrl, alt], ...]"""
import json
import sys
import tkinter as tk

args = dict(a.split("=", 1) for a in sys.argv[1:])
root = tk.Tk(className="peerdesk-text")
root.title(args.get("title", "Notes"))
root.geometry(args.get("geometry", "600x300+100+100"))
root.overrideredirect(True)
text = tk.Text(root, font=("DejaVu Sans", 16), undo=False)
text.pack(fill="both", expand=True)
# focus=1: the field has the keyboard focus from the start, like the window a person was typing in (keys then reach
# it without a click first; with the pointer over the window, X focus follows the pointer).
if args.get("focus") == "1":
    text.focus_set()
clicks = []
root.bind_all("<ButtonPress>", lambda e: clicks.append([e.num, e.x_root, e.y_root]))
keys = []
# Control is state bit 0x4, Mod1 (Alt) 0x8.
text.bind("<KeyPress>", lambda e: keys.append([e.keysym, bool(e.state & 0x4), bool(e.state & 0x8)]), add="+")


def reply(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def on_stdin(*_):
    line = sys.stdin.readline()
    if not line:
        root.destroy()
        return
    cmd = line.strip()
    root.update()
    if cmd == "value":
        reply(text.get("1.0", "end-1c"))
    elif cmd == "clear":
        text.delete("1.0", "end")
        reply("ok")
    elif cmd == "clicks":
        reply(clicks)
        clicks.clear()
    elif cmd == "keys":
        reply(keys)
        keys.clear()
    elif cmd == "quit":
        root.destroy()


root.update()
root.tk.createfilehandler(sys.stdin, tk.READABLE, on_stdin)
sys.stdout.write("ready " + root.wm_frame() + "\n")
sys.stdout.flush()
root.mainloop()
