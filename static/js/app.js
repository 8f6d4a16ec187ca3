/* 校安 xiaoan — progressive enhancement. Pages work without this file. */
(function () {
  'use strict';

  var doc = document;
  doc.documentElement.classList.add('js');

  // (a) <form data-confirm="text">: ask before submitting.
  doc.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form || form.nodeName !== 'FORM') return;
    var text = form.getAttribute('data-confirm');
    if (text && !window.confirm(text)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);

  // (a2) <select data-clears="name">, <input data-clears="name">: choosing one clears the
  // other field of the form (the report's township or school: the server lets a school win).
  function clearOther(ev) {
    var el = ev.target;
    if (!el || !el.getAttribute || !el.form) return;
    var other = el.getAttribute('data-clears');
    // Choosing the county (an empty choice) clears the school too; an emptied box clears nothing.
    if (!other || (el.nodeName === 'INPUT' && !el.value)) return;
    var field = el.form.elements[other];
    if (field) field.value = '';
  }
  doc.addEventListener('change', clearOther);
  doc.addEventListener('input', clearOther);

  // (b) .js-print buttons print the page.
  doc.addEventListener('click', function (ev) {
    var btn = ev.target && ev.target.closest ? ev.target.closest('.js-print') : null;
    if (!btn) return;
    ev.preventDefault();
    window.print();
  });

  // (c) <input type="file" data-max-bytes="N" data-too-big="msg">: size check.
  doc.addEventListener('change', function (ev) {
    var input = ev.target;
    if (!input || input.nodeName !== 'INPUT' || input.type !== 'file') return;
    var max = parseInt(input.getAttribute('data-max-bytes'), 10);
    if (!(max > 0) || typeof input.setCustomValidity !== 'function') return;
    var tooBig = false;
    var files = input.files || [];
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > max) { tooBig = true; break; }
    }
    if (tooBig) {
      input.setCustomValidity(input.getAttribute('data-too-big') || 'File too large');
      if (typeof input.reportValidity === 'function') input.reportValidity();
    } else {
      input.setCustomValidity('');
    }
  });
  // (c2) <input data-lookup="school|township" list="…">: as one types, the suggestions come
  // from /schools/lookup (a province has too many schools to list on the page). Without this
  // the typed code or name is still what the server reads.
  var lookupTimer = null;
  doc.addEventListener('input', function (ev) {
    var input = ev.target;
    if (!input || !input.getAttribute) return;
    var kind = input.getAttribute('data-lookup');
    var list = kind && input.list;
    if (!list || !window.fetch || input.value.trim().length < 1) return;
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(function () {
      fetch('/schools/lookup?q=' + encodeURIComponent(input.value.trim()), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (found) {
          if (!found) return;
          var options = [];
          if (kind === 'township') {
            found.townships.forEach(function (t) { options.push([t, '']); });
          } else {
            found.schools.forEach(function (s) {
              options.push([s.code, s.name + (s.township ? ' · ' + s.township : '')]);
            });
          }
          while (list.firstChild) list.removeChild(list.firstChild);
          options.forEach(function (o) {
            var opt = doc.createElement('option');
            opt.value = o[0];
            opt.textContent = o[1];
            list.appendChild(opt);
          });
        })
        .catch(function () {});
    }, 200);
  });

  // (d) A refused form comes back at its anchor, where browsers skip autofocus: give the cursor
  // to its first wrong field anyway.
  var wrong = doc.querySelector('[autofocus]');
  if (wrong && window.location.hash && typeof wrong.focus === 'function') {
    wrong.focus();
  }
})();
