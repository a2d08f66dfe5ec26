//! The example runs end to end against the sandbox, over its own sender.

#[tokio::test]
async fn a_kashio_payment_round_trips_over_the_hand_written_sender() {
    let lines = pagos_example_custom_sender::demo().await.unwrap();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("created "), "{lines:?}");
    assert!(
        lines[2].ends_with("true"),
        "the raw answer lost 1500.50: {lines:?}"
    );
}
