import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button, buttonClassName } from "@/components/ui/button";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { Switch } from "@/components/ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

// The markup the primitives promise (roles, states, defaults); behaviour in a browser is covered by the e2e suite.
describe("components/ui", () => {
  it("Button never submits a form unless told to, and renders a link with the button's look via asChild", () => {
    expect(renderToStaticMarkup(h(Button, null, "Go"))).toMatch(/^<button type="button" class="[^"]*bg-ink-800[^"]*">Go<\/button>$/);
    expect(renderToStaticMarkup(h(Button, { type: "submit", variant: "primary" }, "Send"))).toContain('type="submit"');
    const link = renderToStaticMarkup(h(Button, { asChild: true, variant: "outline" }, h("a", { href: "/create" }, "Create")));
    expect(link).toMatch(/^<a href="\/create" class="[^"]*border-ink-700[^"]*">Create<\/a>$/);
    expect(link).not.toContain("type=");
  });

  it("Button variants and sizes do not share a class that would fight an override", () => {
    const danger = buttonClassName({ variant: "danger", size: "xs" }).split(" ");
    expect(danger).toContain("text-xs");
    expect(danger).not.toContain("text-sm");
    expect(danger.filter((name) => /^bg-/.test(name))).toHaveLength(1);
  });

  it("Table has column headers with scope and carries its accessible name to the <table>", () => {
    const html = renderToStaticMarkup(
      h(Table, { "aria-label": "Workers", className: "max-w-4xl" },
        h(TableHead, null, h(TableRow, null, h(TableHeader, null, "Worker"))),
        h(TableBody, null, h(TableRow, null, h(TableCell, null, "vm-1")))),
    );
    expect(html).toMatch(/<div [^>]*class="[^"]*max-w-4xl[^"]*"><table [^>]*aria-label="Workers"/);
    expect(html).toContain('<th scope="col"');
    expect(html).toMatch(/<td class="[^"]*whitespace-nowrap[^"]*">vm-1<\/td>/);
  });

  it("SegmentedControl is a named radio group with exactly the chosen option checked", () => {
    const html = renderToStaticMarkup(
      h(SegmentedControl, { labelledBy: "mode-label", value: "fast", options: ["turbo", "fast", "relax"].map((mode) => ({ value: mode, label: mode })), onValueChange: () => undefined }),
    );
    expect(html).toMatch(/role="radiogroup"[^>]*aria-labelledby="mode-label"|aria-labelledby="mode-label"[^>]*role="radiogroup"/);
    expect(html.match(/role="radio"/g)).toHaveLength(3);
    expect(html.match(/aria-checked="true"/g)).toHaveLength(1);
    expect(html).toMatch(/aria-checked="true"[^>]*>fast</);
  });

  it("Switch is a switch whose aria-checked follows checked", () => {
    expect(renderToStaticMarkup(h(Switch, { checked: true, "aria-label": "On" }))).toMatch(/role="switch"[^>]*aria-checked="true"/);
    expect(renderToStaticMarkup(h(Switch, { checked: false, "aria-label": "Off" }))).toMatch(/role="switch"[^>]*aria-checked="false"/);
  });
});
