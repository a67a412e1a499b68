// app.js - asks the API for the device's status and writes it into the page.
(function () {
    var out = document.getElementById("status");
    fetch("/api/status")
        .then(function (r) {
            if (!r.ok)
                throw new Error("HTTP " + r.status);
            return r.json();
        })
        .then(function (s) {
            out.textContent = s.name + " up " + s.uptime + " s";
            out.className = "ok";
        })
        .catch(function (e) {
            out.textContent = "unavailable (" + e.message + ")";
            out.className = "error";
        });
})();
