// CalendarGrains console: small enhancements on top of pages that work without script.
// Served from /console/assets (script-src 'self'); no inline handlers, no eval.
(function () {
  'use strict';

  // Copy buttons: <button data-copy="element-id" hidden>. Shown only where the clipboard is usable.
  function enableCopyButtons(root) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    root.querySelectorAll('button[data-copy]').forEach(function (button) {
      button.hidden = false;
      if (button.dataset.copyReady) {
        return;
      }
      button.dataset.copyReady = '1';
      button.addEventListener('click', function () {
        var source = document.getElementById(button.dataset.copy);
        if (!source) {
          return;
        }
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          var label = button.textContent;
          button.textContent = 'Copied';
          window.setTimeout(function () { button.textContent = label; }, 1500);
        }, function () {
          button.textContent = 'Copy failed';
        });
      });
    });
  }

  // Forms that destroy something ask first: <form data-confirm="...">. Buttons are disabled once sent.
  function guardForms(root) {
    root.querySelectorAll('form').forEach(function (form) {
      if (form.dataset.guarded) {
        return;
      }
      form.dataset.guarded = '1';
      form.addEventListener('submit', function (event) {
        if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
          event.preventDefault();
          return;
        }
        if (form.method.toLowerCase() === 'post') {
          window.setTimeout(function () {
            form.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; });
          }, 0);
        }
      });
    });
  }

  // Live regions: <div id="x" data-refresh-seconds="15"> is replaced by the same element of a fresh copy of the page.
  function refreshLiveRegions() {
    document.querySelectorAll('[data-refresh-seconds][id]').forEach(function (region) {
      var seconds = Math.max(2, parseInt(region.dataset.refreshSeconds, 10) || 15);
      window.setInterval(function () {
        if (document.hidden) {
          return;
        }
        fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (!html) {
              return;
            }
            var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(region.id);
            if (fresh) {
              region.replaceChildren.apply(region, Array.prototype.slice.call(fresh.childNodes).map(function (node) { return document.importNode(node, true); }));
              enableCopyButtons(region);
              guardForms(region);
            }
          })
          .catch(function () { /* the next tick tries again */ });
      }, seconds * 1000);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    enableCopyButtons(document);
    guardForms(document);
    refreshLiveRegions();
  });
})();
