/* Katko: the globals Material's bundle expects to find when it starts, which
   Material's base template would define in an inline script. The pages'
   Content Security Policy allows scripts from the site's own files only, so
   they are defined here, with the same behaviour:
   - __md_scope: the address under which Material keeps its settings in the
     browser's storage (the site's root; the script tag's data-scope);
   - __md_hash(text): a small integer hash of a text;
   - __md_get(key[, storage[, scope]]): a stored value, parsed from JSON;
   - __md_set(key, value[, storage[, scope]]): stores a value as JSON,
     quietly doing nothing when the storage refuses it. */
(function () {
  "use strict";
  var scope = new URL(document.currentScript.getAttribute("data-scope"), location);

  window.__md_scope = scope;
  window.__md_hash = function (text) {
    // By code point, as Material's does: the first UTF-16 unit of each.
    return Array.from(text).reduce(function (hash, char) {
      return (hash << 5) - hash + char.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    var store = storage === undefined ? localStorage : storage;
    return JSON.parse(store.getItem((base === undefined ? scope : base).pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    try {
      var store = storage === undefined ? localStorage : storage;
      store.setItem((base === undefined ? scope : base).pathname + "." + key, JSON.stringify(value));
    } catch (e) {
      /* storage full or forbidden: the setting lasts this page view only */
    }
  };
}());
