// A tiny element builder: the views are plain DOM, no framework, no innerHTML
// (text from records is never parsed as markup).

const PROPERTIES = new Set(["value", "checked", "selected", "disabled", "hidden"]);

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  const later = [];
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (PROPERTIES.has(name)) later.push([name, value]);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  // After the children: a <select>'s value needs its options first.
  for (const [name, value] of later) el[name] = value;
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}
