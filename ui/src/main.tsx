// styles.css first: page stylesheets (imported by the pages) come after it and win ties.
import "./styles.css";
import { render } from "preact";
import { App } from "./app";
import { applyTheme, initialTheme } from "./lib/theme";

applyTheme(initialTheme());
render(<App />, document.getElementById("root") as HTMLElement);
