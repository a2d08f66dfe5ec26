//! A valid Khipu receiver, shared by the test binaries that need one (`e2e`'s bad-input
//! table changes one field of it at a time; `secrets` creates it against a hostile
//! answer). Included with `#[path]` because the `pagos-tests` library stays free of
//! the SDK for the CLI's tests.

/// A Khipu receiver every field of which is valid.
pub fn receiver() -> pagos::khipu::CreateReceiverRequest {
    pagos::khipu::CreateReceiverRequest::builder()
        .admin_first_name("Ana")
        .admin_last_name("Pérez")
        .admin_email("ana@example.cl")
        .country_code("CL")
        .business_identifier("76086428-5")
        .business_category("Comercio")
        .business_name("Tienda SpA")
        .business_phone("+56912345678")
        .business_address_line_1("Av. Siempre Viva 742")
        .business_address_line_2("Santiago")
        .business_address_line_3("Chile")
        .contact_full_name("Ana Pérez")
        .contact_job_title("Gerente")
        .contact_email("contacto@example.cl")
        .contact_phone("+56912345678")
        .build()
        .expect("a valid receiver")
}
