use super::ImageFinding;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags ports below 1024 in the image's `ExposedPorts`.
    ///
    /// ## Why is this bad?
    /// Binding a port below 1024 needs root or `CAP_NET_BIND_SERVICE`, so an
    /// image that listens there is built to run privileged.
    ///
    /// ## How to fix
    /// Listen on a high port (8080, 8443) and let the Service map port 80 or
    /// 443 to it.
    static CHECK = {
        id: "KW809",
        slug: "image-privileged-port",
        title: "Image exposes a privileged port",
        severity: Low,
        layer: Container,
        owasp: K01,
        references: ["CIS Docker 5.7"],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for port in image
        .config
        .config
        .exposed_ports
        .iter()
        .flat_map(|p| p.keys())
    {
        let number: Option<u32> = port.split('/').next().and_then(|n| n.parse().ok());
        if number.is_some_and(|n| n > 0 && n < 1024) {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("config.ExposedPorts.{port}"),
                message: format!("the image exposes the privileged port {port}"),
            });
        }
    }
}
