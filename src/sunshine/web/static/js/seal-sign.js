/* 阳光交易 — the sealing panel of a document page: the signer picks their key and its private key file; the
   message the server showed (data-message on #seal-form) is signed here with window.SunshineKeys, and only the
   signature is sent with the form. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  document.addEventListener("DOMContentLoaded", function () {
    var form = $("seal-form");
    if (!form) return;
    var status = $("seal-status");
    var signed = false;
    form.addEventListener("submit", async function (event) {
      if (signed) return;
      event.preventDefault();
      status.textContent = "正在本机签名……";
      try {
        if (!window.crypto || !crypto.subtle) throw new Error("本浏览器不支持 WebCrypto（须通过 HTTPS 访问）");
        var key = await window.SunshineKeys.readKeyFile($("seal-key-file").files[0]);
        var option = $("f-key_id").selectedOptions[0];
        if (!option || option.getAttribute("data-public-key") !== key.publicKey) {
          throw new Error("私钥文件与所选签名密钥不符，请选择对应的密钥");
        }
        var message = new TextEncoder().encode(form.getAttribute("data-message"));
        $("seal-signature").value = await window.SunshineKeys.sign(key, message);
        signed = true;
        status.textContent = "已签名，正在提交……";
        form.submit();
      } catch (e) {
        status.textContent = e && e.message ? e.message : "签名失败";
      }
    });
  });
})();
