import COpenSSL
import CRPCSystem
import Glibc

extension TLSPeerIdentity {
    /// Reads the subject and subject alternative names of a (verified) certificate.
    init(certificate: OpaquePointer) {
        self.init(subject: Self.subjectText(certificate))
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return }
        let names = OpaquePointer(raw)
        defer { copenssl_general_names_free(names) }
        // Bounded by the certificate's own (already parsed) list.
        for index in 0..<copenssl_general_names_count(names) {
            guard let name = copenssl_general_names_at(names, index) else { continue }
            switch name.pointee.type {
            case GEN_DNS: dnsNames.append(Self.text(name.pointee.d.dNSName))
            case GEN_URI: uris.append(Self.text(name.pointee.d.uniformResourceIdentifier))
            case GEN_EMAIL: emailAddresses.append(Self.text(name.pointee.d.rfc822Name))
            case GEN_IPADD: if let address = Self.ipText(name.pointee.d.iPAddress) { ipAddresses.append(address) }
            default: break
            }
        }
    }

    private static func subjectText(_ certificate: OpaquePointer) -> String {
        guard let name = X509_get_subject_name(certificate), let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, copenssl_name_flags_rfc2253()) >= 0 else { return "" }
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    private static func text(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))), as: UTF8.self)
    }

    private static func ipText(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return nil }
        let length = Int(ASN1_STRING_length(string))
        guard length == 4 || length == 16 else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(length == 4 ? AF_INET : AF_INET6, data, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
