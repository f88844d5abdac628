// ESLint flat config for the map page's own script (ccm_graph/maps/assets/page.js).
// The page loads it as a classic <script> after vis-network, in any recent browser.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["ccm_graph/maps/assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {
        ...globals.browser,
        vis: "readonly", // vis-network, inlined before the page's script
      },
    },
  },
];
