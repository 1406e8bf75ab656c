#[test]
fn scratch() {
    let spec = std::fs::read_to_string("../spec/face.yaml").unwrap();
    let cases = [
        ("in: query", "in: body"),
        ("required: true", "required: 7"),
        ("type: integer", "type: 5"),
        ("      responses:\n", "      responses: 5\n"),
        ("operationId: Face_Detect", "operationId: [1]"),
        ("format: int32", "format: [1]"),
    ];
    for (from, to) in cases {
        let broken = spec.replacen(from, to, 1);
        match codegen::generate(&broken, "spec/face.yaml") {
            Ok(_) => println!("{to}: accepted"),
            Err(e) => println!("{to}: {}", e.render("f")),
        }
    }
}
