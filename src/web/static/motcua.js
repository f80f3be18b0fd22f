/*
 * motcua.js: small conveniences only; every page works without it.
 *   - buttons with data-print (the slip) print the page;
 *   - the intake form's procedure search narrows the select as one types.
 */
(function () {
	"use strict";
	function ready(fn) {
		if (document.readyState !== "loading") fn();
		else document.addEventListener("DOMContentLoaded", fn);
	}
	ready(function () {
		document.querySelectorAll("button[data-print]").forEach(function (b) {
			b.hidden = false;
			b.addEventListener("click", function () { window.print(); });
		});
		var q = document.getElementById("f-q");
		var sel = document.getElementById("f-procedure");
		if (q && sel && document.getElementById("procedure-search-form")) {
			var fold = function (s) {
				return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
					.replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
			};
			q.addEventListener("input", function () {
				var want = fold(q.value.trim());
				Array.prototype.forEach.call(sel.options, function (o) {
					if (!o.value) return;
					o.hidden = want !== "" && fold(o.textContent).indexOf(want) < 0;
				});
			});
		}
	});
})();
