fn main() {
    println!("native checksum {:016x}", det::checksum());
}
