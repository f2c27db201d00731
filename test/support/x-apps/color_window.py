#!/usr/bin/env python3
"""A plain X window with a known colour, driven over stdin (one command per line):
   color #rrggbb | geometry WxH+X+Y | title TEXT | raise | quit
   busy 1|0 -> start/stop redrawing random detail every 33 ms (a "busy screen")
   clicks -> JSON list of [button, x_root, y_root] since the last call
Prints "ready <window id>" once mapped and "ok" after each command, so tests await events, not sleeps."""
import json
import sys
import tkinter as tk

args = dict(a.split("=", 1) for a in sys.argv[1:])
root = tk.Tk(className="peerdesk-test")
root.title(args.get("title", "color window"))
root.geometry(args.get("geometry", "1280x800+0+0"))
root.configure(background=args.get("color", "#ff0000"), cursor="none")
root.overrideredirect(args.get("bare", "1") == "1")
clicks = []
canvas = tk.Canvas(root, highlightthickness=0, background=args.get("color", "#ff0000"))
canvas.pack(fill="both", expand=True)
canvas.bind("<ButtonPress>", lambda e: clicks.append([e.num, e.x_root, e.y_root]))
busy = {"on": False}


def draw_busy():
    import random
    if not busy["on"]:
        canvas.delete("busy")
        return
    canvas.delete("busy")
    w, h = root.winfo_width(), root.winfo_height()
    for _ in range(150):
        x, y = random.randrange(w), random.randrange(h)
        canvas.create_rectangle(x, y, x + random.randrange(20, 160), y + random.randrange(10, 90),
                                fill="#%06x" % random.randrange(0xFFFFFF), outline="", tags="busy")
    root.after(33, draw_busy)


def reply(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def handle(line):
    cmd, _, arg = line.strip().partition(" ")
    if cmd == "color":
        root.configure(background=arg)
        canvas.configure(background=arg)
    elif cmd == "busy":
        busy["on"] = arg == "1"
        if busy["on"]:
            draw_busy()
    elif cmd == "geometry":
        root.geometry(arg)
    elif cmd == "title":
        root.title(arg)
    elif cmd == "raise":
        root.lift()
    elif cmd == "clicks":
        root.update()
        reply(json.dumps(clicks))
        clicks.clear()
        return
    elif cmd == "quit":
        root.destroy()
        return
    root.update()
    reply("ok")


def on_stdin(*_):
    line = sys.stdin.readline()
    if not line:
        root.destroy()
        return
    handle(line)


root.update()
root.tk.createfilehandler(sys.stdin, tk.READABLE, on_stdin)
reply("ready " + root.wm_frame())
root.mainloop()
